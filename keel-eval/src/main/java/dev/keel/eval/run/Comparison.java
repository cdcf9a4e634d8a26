package dev.keel.eval.run;

import dev.keel.eval.ScoreResult;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;

/**
 * Run B against run A (the baseline): per scorer, the mean difference over the items both runs
 * scored, with a paired bootstrap 95% confidence interval (seeded, so the same results give the
 * same interval), and the items whose score changed.
 *
 * <p>A drop is a regression only when it is larger than the tolerance and the whole interval is
 * below zero: a change the resampling cannot tell from noise is not called a regression.
 */
public record Comparison(RunInfo baseline, RunInfo candidate, List<ScorerDelta> deltas,
    List<ItemDiff> items, List<String> caveats) {

  static final int RESAMPLES = 2000;
  static final long SEED = 20_240_601L;

  public Comparison {
    deltas = List.copyOf(deltas);
    items = List.copyOf(items);
    caveats = List.copyOf(caveats);
  }

  /**
   * Compares two runs.
   *
   * @throws IllegalArgumentException when they ran on different datasets (or versions) or have
   *     no scorer in common
   */
  public static Comparison of(RunResults a, RunResults b, double tolerance) {
    List<String> problems = a.info().incomparable(b.info());
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException("runs are not comparable: " + String.join("; ",
          problems));
    }
    Map<String, ItemResult> ia = a.byId();
    Map<String, ItemResult> ib = b.byId();
    Set<String> names = new LinkedHashSet<>(b.info().scorers().keySet());
    names.retainAll(a.info().scorers().keySet());
    if (names.isEmpty()) {
      throw new IllegalArgumentException("runs have no scorer in common, nothing to compare: "
          + a.info().run() + " scored " + scorers(a.info()) + ", " + b.info().run() + " scored "
          + scorers(b.info()));
    }
    List<ScorerDelta> deltas = new ArrayList<>();
    List<ItemDiff> diffs = new ArrayList<>();
    for (String name : names) {
      List<double[]> pairs = new ArrayList<>();
      for (Map.Entry<String, ItemResult> e : ib.entrySet()) {
        ItemResult before = ia.get(e.getKey());
        double va = value(before, name);
        double vb = value(e.getValue(), name);
        if (!Double.isNaN(va) && !Double.isNaN(vb)) {
          pairs.add(new double[] {va, vb});
        }
        if (before != null && !same(va, vb)) {
          diffs.add(new ItemDiff(e.getKey(), name, va, vb));
        }
      }
      deltas.add(delta(name, pairs, tolerance, a.info().sameScorer(b.info(), name)));
    }
    return new Comparison(a.info(), b.info(), deltas, diffs, a.info().caveats(b.info()));
  }

  /** True when some scorer regressed (only scorers whose version and judge match count). */
  public boolean regressed() {
    return deltas.stream().anyMatch(ScorerDelta::regression);
  }

  static ScorerDelta delta(String name, List<double[]> pairs, double tolerance,
      boolean comparable) {
    int n = pairs.size();
    if (n == 0) {
      return new ScorerDelta(name, 0, Double.NaN, Double.NaN, Double.NaN, Double.NaN,
          Double.NaN, false, comparable);
    }
    double[] d = pairs.stream().mapToDouble(p -> p[1] - p[0]).toArray();
    double meanA = pairs.stream().mapToDouble(p -> p[0]).average().orElseThrow();
    double meanB = pairs.stream().mapToDouble(p -> p[1]).average().orElseThrow();
    double[] ci = bootstrap(d, new Random(SEED));
    double delta = meanB - meanA;
    boolean regression = comparable && delta < -tolerance && ci[1] < 0;
    return new ScorerDelta(name, n, meanA, meanB, delta, ci[0], ci[1], regression, comparable);
  }

  /** Percentile bootstrap of the mean of {@code d}: the 2.5th and 97.5th percentiles. */
  static double[] bootstrap(double[] d, Random random) {
    double[] means = new double[RESAMPLES];
    for (int r = 0; r < RESAMPLES; r++) {
      double sum = 0;
      for (int i = 0; i < d.length; i++) {
        sum += d[random.nextInt(d.length)];
      }
      means[r] = sum / d.length;
    }
    Arrays.sort(means);
    return new double[] {means[(int) Math.floor(0.025 * (RESAMPLES - 1))],
        means[(int) Math.ceil(0.975 * (RESAMPLES - 1))]};
  }

  private static String scorers(RunInfo r) {
    return r.scorers().isEmpty() ? "nothing" : String.join(", ", new java.util.TreeSet<>(
        r.scorers().keySet()));
  }

  private static double value(ItemResult r, String name) {
    if (r == null) {
      return Double.NaN;
    }
    ScoreResult s = r.scores().get(name);
    return s == null ? Double.NaN : s.value();
  }

  private static boolean same(double a, double b) {
    return Objects.equals(a, b) || Math.abs(a - b) < 1e-9;
  }

  /**
   * One scorer's change from A to B over {@code n} items both scored.
   *
   * @param ciLow the lower end of the 95% interval of the mean difference
   * @param comparable false when the scorer's version or the judge changed between the runs
   */
  public record ScorerDelta(String scorer, int n, double meanA, double meanB, double delta,
      double ciLow, double ciHigh, boolean regression, boolean comparable) {}

  /** An item whose score changed; NaN where a run did not determine it. */
  public record ItemDiff(String id, String scorer, double before, double after) {}
}
