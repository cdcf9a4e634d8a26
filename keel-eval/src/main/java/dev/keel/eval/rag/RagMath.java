package dev.keel.eval.rag;

import dev.keel.eval.score.TextMetrics;
import java.util.List;

/**
 * The pure aggregation of each RAG metric, separate from the judge calls that produce its
 * verdicts. NaN means the metric cannot tell (nothing to judge). Unlike RAGAS, no epsilon is
 * added to denominators, so a perfect score is exactly 1.0; only a zero denominator is guarded.
 */
public final class RagMath {

  private RagMath() {}

  /** Supported statements / verdicts returned; NaN without verdicts (a refusal has no claims). */
  public static double faithfulness(List<Integer> verdicts) {
    return share(verdicts);
  }

  /** Attributed reference statements / classifications; NaN without any. */
  public static double contextRecall(List<Integer> attributed) {
    return share(attributed);
  }

  /**
   * Average precision over ranked usefulness verdicts: the mean of precision@k at the ranks k
   * holding a useful chunk. No useful chunk gives 0; no chunks gives NaN.
   */
  public static double averagePrecision(List<Integer> verdicts) {
    if (verdicts.isEmpty()) {
      return Double.NaN;
    }
    int relevant = 0;
    double sum = 0;
    for (int k = 1; k <= verdicts.size(); k++) {
      if (verdicts.get(k - 1) == 1) {
        relevant++;
        sum += (double) relevant / k;
      }
    }
    return relevant == 0 ? 0.0 : sum / relevant;
  }

  /**
   * Mean cosine between the question and the questions generated from the answer, times 0 when
   * every generation was flagged noncommittal; NaN when nothing was generated.
   */
  public static double answerRelevancy(List<Double> cosines, List<Boolean> noncommittal) {
    if (cosines.isEmpty()) {
      return Double.NaN;
    }
    double mean = cosines.stream().mapToDouble(Double::doubleValue).average().orElse(0);
    boolean allEvasive = !noncommittal.isEmpty() && noncommittal.stream().allMatch(b -> b);
    return allEvasive ? 0.0 : mean;
  }

  /**
   * Non-LLM context precision: a retrieved chunk is relevant when its best string similarity to
   * any reference context is {@code >= threshold}; then average precision. NaN without
   * retrieved chunks or without reference contexts.
   */
  public static double nonLlmContextPrecision(List<String> retrieved, List<String> reference,
      double threshold) {
    if (retrieved.isEmpty() || reference.isEmpty()) {
      return Double.NaN;
    }
    List<Integer> v = retrieved.stream()
        .map(r -> anySimilar(r, reference, threshold, false) ? 1 : 0).toList();
    return averagePrecision(v);
  }

  /**
   * Non-LLM context recall: a reference context is found when its best similarity to a retrieved
   * chunk is {@code > threshold} (strict, as RAGAS); found / reference contexts. NaN without
   * reference contexts.
   */
  public static double nonLlmContextRecall(List<String> retrieved, List<String> reference,
      double threshold) {
    if (reference.isEmpty()) {
      return Double.NaN;
    }
    long found = reference.stream().filter(r -> anySimilar(r, retrieved, threshold, true))
        .count();
    return (double) found / reference.size();
  }

  /**
   * Whether some text of {@code others} is similar enough to {@code s} (above, or with
   * {@code strict} false also at, the threshold). The same decision as comparing the best
   * similarity, but stops at the first hit and skips pairs whose length difference alone keeps
   * them under the threshold (similarity is at most 1 - |length difference| / longer length),
   * since each distance costs O(n x m).
   */
  static boolean anySimilar(String s, List<String> others, double threshold, boolean strict) {
    for (String o : others) {
      int longer = Math.max(s.length(), o.length());
      double bound = longer == 0 ? 1.0
          : 1.0 - (double) Math.abs(s.length() - o.length()) / longer;
      if (strict ? bound <= threshold : bound < threshold) {
        continue;
      }
      double sim = TextMetrics.levenshteinSimilarity(o, s);
      if (strict ? sim > threshold : sim >= threshold) {
        return true;
      }
    }
    return false;
  }

  private static double share(List<Integer> verdicts) {
    if (verdicts.isEmpty()) {
      return Double.NaN;
    }
    long yes = verdicts.stream().filter(v -> v == 1).count();
    return (double) yes / verdicts.size();
  }
}
