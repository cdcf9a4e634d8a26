package dev.keel.eval.score;

import dev.keel.eval.ScoreResult;
import dev.keel.eval.Scorer;
import dev.keel.eval.ScoringContext;
import java.util.function.Function;

/** A scorer from a function; the built-in deterministic scorers are these. */
record FnScorer(String name, String version, Function<ScoringContext, ScoreResult> fn)
    implements Scorer {

  @Override
  public ScoreResult score(ScoringContext context) {
    if (context.output().failed()) {
      return ScoreResult.undetermined(name, "the task failed: " + context.output().error());
    }
    return fn.apply(context);
  }
}
