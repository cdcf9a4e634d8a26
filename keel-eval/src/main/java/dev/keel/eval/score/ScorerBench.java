package dev.keel.eval.score;

import dev.keel.eval.Scorer;
import dev.keel.eval.ScoringContext;
import java.util.ArrayList;
import java.util.List;

/**
 * Scorer throughput: each scorer over the same items on one thread, after a warm-up, so the
 * numbers say what one core does (a runner scores items concurrently).
 */
public final class ScorerBench {

  /** One scorer's result: items scored, wall time, throughput, undetermined count. */
  public record Row(String scorer, int items, double seconds, double itemsPerSecond,
      int undetermined) {}

  private ScorerBench() {}

  public static List<Row> run(List<Scorer> scorers, List<ScoringContext> items, int warmUp) {
    List<Row> rows = new ArrayList<>();
    for (Scorer s : scorers) {
      rows.add(run(s, items, warmUp));
    }
    return rows;
  }

  public static Row run(Scorer s, List<ScoringContext> items, int warmUp) {
    for (int i = 0; i < Math.min(warmUp, items.size()); i++) {
      s.score(items.get(i));
    }
    int undetermined = 0;
    long t0 = System.nanoTime();
    for (ScoringContext c : items) {
      undetermined += s.score(c).determined() ? 0 : 1;
    }
    double secs = (System.nanoTime() - t0) / 1e9;
    return new Row(s.name(), items.size(), secs, items.size() / secs, undetermined);
  }
}
