package dev.keel.eval.rag;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class RagMathTest {

  @Test
  void faithfulnessIsTheShareOfSupportedStatements() {
    // Reference doc example: born in Germany (yes), born 20 March 1879 (no).
    assertThat(RagMath.faithfulness(List.of(1, 0))).isEqualTo(0.5);
    assertThat(RagMath.faithfulness(List.of(1, 1, 0))).isEqualTo(2.0 / 3);
    assertThat(RagMath.faithfulness(List.of())).isNaN();
  }

  @Test
  void averagePrecisionMatchesTheReferenceVectorsWithoutEpsilon() {
    assertThat(RagMath.averagePrecision(List.of(1, 0))).isEqualTo(1.0);
    assertThat(RagMath.averagePrecision(List.of(0, 1))).isEqualTo(0.5);
    assertThat(RagMath.averagePrecision(List.of(1, 0, 1))).isCloseTo(0.8333333333, within(1e-9));
    assertThat(RagMath.averagePrecision(List.of(0, 0))).isEqualTo(0.0);
    assertThat(RagMath.averagePrecision(List.of())).isNaN();
    // (1/2 + 2/3 + 3/4) / 3 by hand
    assertThat(RagMath.averagePrecision(List.of(0, 1, 1, 1)))
        .isCloseTo((0.5 + 2.0 / 3 + 0.75) / 3, within(1e-15));
  }

  @Test
  void contextRecallIsTheShareOfAttributedSentences() {
    assertThat(RagMath.contextRecall(List.of(1, 1, 0, 1))).isEqualTo(0.75);
    assertThat(RagMath.contextRecall(List.of())).isNaN();
  }

  @Test
  void answerRelevancyIsZeroOnlyWhenEveryGenerationIsNoncommittal() {
    assertThat(RagMath.answerRelevancy(List.of(0.9, 0.8, 0.7), List.of(false, true, false)))
        .isCloseTo(0.8, within(1e-12));
    assertThat(RagMath.answerRelevancy(List.of(0.9, 0.8), List.of(true, true))).isEqualTo(0.0);
    assertThat(RagMath.answerRelevancy(List.of(), List.of(false))).isNaN();
  }

  @Test
  void nonLlmContextMetricsMatchTheRagasVectors() {
    List<String> reference = List.of("Paris is the capital of France.",
        "The Eiffel Tower is one of the most famous landmarks in Paris.");
    assertThat(RagMath.nonLlmContextRecall(List.of("Paris is the capital of France."),
        reference, 0.5)).isEqualTo(0.5);
    assertThat(RagMath.nonLlmContextPrecision(List.of("The Eiffel Tower is located in Paris."),
        reference, 0.5)).isEqualTo(1.0);
    assertThat(RagMath.nonLlmContextPrecision(List.of("bananas", "Paris is the capital of "
        + "France."), reference, 0.5)).isEqualTo(0.5);
    assertThat(RagMath.nonLlmContextRecall(List.of(), reference, 0.5)).isEqualTo(0.0);
    assertThat(RagMath.nonLlmContextRecall(List.of("x"), List.of(), 0.5)).isNaN();
    assertThat(RagMath.nonLlmContextPrecision(List.of(), reference, 0.5)).isNaN();
  }

  @Test
  void theShortCutDecisionEqualsComparingTheBestSimilarity() {
    java.util.SplittableRandom rnd = new java.util.SplittableRandom(7);
    for (int trial = 0; trial < 2_000; trial++) {
      String s = random(rnd);
      List<String> others = List.of(random(rnd), random(rnd), random(rnd));
      double best = others.stream().mapToDouble(o -> dev.keel.eval.score.TextMetrics
          .levenshteinSimilarity(o, s)).max().orElse(0);
      for (double t : new double[] {0.25, 0.5, 0.75}) {
        assertThat(RagMath.anySimilar(s, others, t, false)).isEqualTo(best >= t);
        assertThat(RagMath.anySimilar(s, others, t, true)).isEqualTo(best > t);
      }
    }
  }

  private static String random(java.util.SplittableRandom rnd) {
    StringBuilder sb = new StringBuilder();
    int n = rnd.nextInt(9);
    for (int i = 0; i < n; i++) {
      sb.append("abc".charAt(rnd.nextInt(3)));
    }
    return sb.toString();
  }

  @Test
  void recallThresholdIsStrictAndPrecisionThresholdInclusive() {
    // "abcd" vs "abxy": similarity exactly 0.5.
    assertThat(RagMath.nonLlmContextRecall(List.of("abxy"), List.of("abcd"), 0.5)).isEqualTo(0.0);
    assertThat(RagMath.nonLlmContextPrecision(List.of("abxy"), List.of("abcd"), 0.5))
        .isEqualTo(1.0);
  }
}
