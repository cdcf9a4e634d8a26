package dev.keel.eval.run;

import dev.keel.eval.ScoreResult;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A run's verdict: per scorer the mean and pass rate over the items it could score, and the
 * checks the evaluation file asks for (thresholds, task error rate, no regression against the
 * baseline). Undetermined scores (NaN) count in neither the mean nor the pass rate; they are
 * counted and shown so that a judge that failed on every item cannot pass silently: a scorer
 * with a threshold and no determined item fails its check.
 *
 * @param comparison the comparison with the baseline, or null when there is none
 * @param totalCostUsd the sum of known item costs
 */
public record Gate(RunResults results, List<Aggregate> aggregates, List<Check> checks,
    Comparison comparison, int errors, BigDecimal totalCostUsd) {

  public Gate {
    aggregates = List.copyOf(aggregates);
    checks = List.copyOf(checks);
  }

  /** Judges a run against the file's thresholds and, when given, its baseline comparison. */
  public static Gate of(RunResults results, EvalFile file, Comparison comparison) {
    List<Aggregate> aggs = new ArrayList<>();
    List<Check> checks = new ArrayList<>();
    int errors = (int) results.items().stream().filter(ItemResult::failed).count();
    int n = results.items().size();
    double errorRate = n == 0 ? 0 : (double) errors / n;
    checks.add(new Check("task errors", errorRate <= file.maxErrorRate(), String.format(
        Locale.ROOT, "%d of %d items failed (%.1f%%, max %.1f%%)", errors, n, errorRate * 100,
        file.maxErrorRate() * 100)));
    List<String> recorded = List.copyOf(results.info().scorers().keySet());
    for (int i = 0; i < file.scorers().size(); i++) {
      EvalFile.ScorerSpec spec = file.scorers().get(i);
      // The run records each scorer under the name it gave itself, in the file's order.
      String name = recorded.size() == file.scorers().size() ? recorded.get(i)
          : scorerName(spec);
      Aggregate a = aggregate(results, name, spec.pass());
      aggs.add(a);
      thresholdChecks(a, spec, checks);
    }
    if (comparison != null) {
      for (Comparison.ScorerDelta d : comparison.deltas()) {
        checks.add(regressionCheck(d, file.tolerance()));
      }
    }
    BigDecimal cost = results.items().stream().map(ItemResult::costUsd)
        .filter(java.util.Objects::nonNull).reduce(BigDecimal.ZERO, BigDecimal::add);
    return new Gate(results, aggs, checks, comparison, errors, cost);
  }

  public boolean passed() {
    return checks.stream().allMatch(Check::passed);
  }

  static Aggregate aggregate(RunResults results, String name, double pass) {
    int determined = 0;
    int undetermined = 0;
    int passing = 0;
    double sum = 0;
    for (ItemResult r : results.items()) {
      ScoreResult s = r.scores().get(name);
      if (s == null || !s.determined()) {
        undetermined += r.failed() ? 0 : 1;
        continue;
      }
      determined++;
      sum += s.value();
      passing += s.value() >= pass ? 1 : 0;
    }
    return new Aggregate(name, determined, undetermined,
        determined == 0 ? Double.NaN : sum / determined,
        determined == 0 ? Double.NaN : (double) passing / determined);
  }

  /** A scorer's stored name: its {@code name} option when it has one, else its kind. */
  static String scorerName(EvalFile.ScorerSpec spec) {
    Object rename = spec.options().get("name");
    return rename == null ? spec.name() : rename.toString();
  }

  private static void thresholdChecks(Aggregate a, EvalFile.ScorerSpec spec, List<Check> out) {
    if (spec.minMean() != null) {
      out.add(new Check(a.scorer() + " mean", a.mean() >= spec.minMean(), String.format(
          Locale.ROOT, "mean %s, threshold %.3f", fmt(a.mean()), spec.minMean())));
    }
    if (spec.minPassRate() != null) {
      out.add(new Check(a.scorer() + " pass rate", a.passRate() >= spec.minPassRate(),
          String.format(Locale.ROOT, "pass rate %s (value >= %s), threshold %.3f",
              fmt(a.passRate()), fmt(spec.pass()), spec.minPassRate())));
    }
  }

  private static Check regressionCheck(Comparison.ScorerDelta d, double tolerance) {
    String what = String.format(Locale.ROOT, "%s -> %s, delta %s, 95%% CI [%s, %s] over %d"
        + " items, tolerance %s", fmt(d.meanA()), fmt(d.meanB()), fmt(d.delta()),
        fmt(d.ciLow()), fmt(d.ciHigh()), d.n(), fmt(tolerance));
    if (!d.comparable()) {
      what += "; not gated: scorer version or judge changed";
    }
    return new Check(d.scorer() + " vs baseline", !d.regression(), what);
  }

  static String fmt(double v) {
    return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.3f", v);
  }

  /** One scorer's numbers over the run. NaN when no item was determined. */
  public record Aggregate(String scorer, int determined, int undetermined, double mean,
      double passRate) {}

  /** One gate check: its name, whether it passed, and the numbers behind it. */
  public record Check(String name, boolean passed, String detail) {}
}
