package dev.keel.eval;

/**
 * Scores one item's output. Implementations are stateless and thread-safe; users add their own
 * in Java by implementing this. A scorer that needs a model (a judge) gets it from the context.
 */
public interface Scorer {

  /** The score's name as stored (for example {@code faithfulness}). */
  String name();

  /** Changes when the scorer's logic or prompt changes, so runs compare only like with like. */
  String version();

  ScoreResult score(ScoringContext context);
}
