package dev.keel.eval.score;

import dev.keel.eval.ScoreResult;
import dev.keel.eval.Scorer;
import dev.keel.eval.ScoringContext;

/**
 * Cosine similarity of the answer and the reference in all-MiniLM-L6-v2's embedding space
 * (quantised, in process, offline). A blank answer scores 0 against a non-blank reference
 * (RAGAS embeds it as a single space; the in-process model refuses blank text).
 */
final class EmbeddingSimilarity implements Scorer {

  private final String name;
  private final double threshold;

  EmbeddingSimilarity(Options o) {
    this.name = o.scorer();
    this.threshold = o.number("threshold", Double.NaN);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String version() {
    return "embedding_similarity/1 all-minilm-l6-v2-q";
  }

  @Override
  public ScoreResult score(ScoringContext c) {
    if (c.output().failed()) {
      return ScoreResult.undetermined(name, "the task failed: " + c.output().error());
    }
    String exp = Texts.expected(c);
    if (exp == null) {
      return ScoreResult.undetermined(name, "the item has no expected output");
    }
    String out = Texts.output(c);
    double v = MiniLm.cosine(out == null ? "" : out, exp);
    String label = Double.isNaN(threshold) ? null : v >= threshold ? "pass" : "fail";
    return new ScoreResult(name, v, label, "MiniLM cosine similarity to the reference");
  }
}
