package dev.keel.eval.score;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.keel.eval.score.TextMetrics.RougeMode;
import org.junit.jupiter.api.Test;

class TextMetricsTest {

  private static final String PARIS = "The Eiffel Tower is located in Paris.";
  private static final String INDIA = "The Eiffel Tower is located in India.";

  @Test
  void levenshteinSimilarityMatchesTheRagasVector() {
    assertThat(TextMetrics.levenshteinSimilarity(PARIS, INDIA)).isEqualTo(33.0 / 37);
    assertThat(TextMetrics.levenshtein("kitten", "sitting")).isEqualTo(3);
    assertThat(TextMetrics.levenshteinSimilarity("", "")).isEqualTo(1.0);
    assertThat(TextMetrics.levenshteinSimilarity("abc", "")).isEqualTo(0.0);
  }

  @Test
  void bitParallelLevenshteinEqualsTheDynamicProgrammeAcrossBlockSizes() {
    java.util.SplittableRandom rnd = new java.util.SplittableRandom(11);
    for (int trial = 0; trial < 3_000; trial++) {
      String a = random(rnd, rnd.nextInt(trial % 3 == 0 ? 200 : 70));
      String b = rnd.nextInt(4) == 0 ? mutate(rnd, a) : random(rnd, rnd.nextInt(200));
      assertThat(TextMetrics.levenshtein(a, b)).as(a + " / " + b)
          .isEqualTo(TextMetrics.levenshteinDp(a, b));
    }
    assertThat(TextMetrics.levenshtein("", "abc")).isEqualTo(3);
    assertThat(TextMetrics.levenshtein("héllo wörld", "hello world")).isEqualTo(2);
  }

  private static String random(java.util.SplittableRandom rnd, int n) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < n; i++) {
      sb.append("abcd".charAt(rnd.nextInt(4)));
    }
    return sb.toString();
  }

  private static String mutate(java.util.SplittableRandom rnd, String s) {
    StringBuilder sb = new StringBuilder(s);
    for (int k = 0; k < 5 && sb.length() > 0; k++) {
      int i = rnd.nextInt(sb.length());
      switch (rnd.nextInt(3)) {
        case 0 -> sb.deleteCharAt(i);
        case 1 -> sb.insert(i, 'x');
        default -> sb.setCharAt(i, 'y');
      }
    }
    return sb.toString();
  }

  @Test
  void bleuMatchesTheSacrebleuVector() {
    // n-gram precisions 7/8, 5/7, 4/6, 3/5; brevity penalty 1.
    assertThat(TextMetrics.bleu(INDIA, PARIS)).isCloseTo(0.7071067811865478, within(1e-12));
    assertThat(TextMetrics.bleu(PARIS, PARIS)).isCloseTo(1.0, within(1e-12));
  }

  @Test
  void bleuOfAShortAnswerIsZeroAndBrevityPenalises() {
    assertThat(TextMetrics.bleu("in Paris .", PARIS)).isEqualTo(0.0);
    // "The Eiffel Tower is" against 8 reference tokens: all n-grams match, BP = exp(1 - 8/4).
    assertThat(TextMetrics.bleu("The Eiffel Tower is", PARIS))
        .isCloseTo(Math.exp(1 - 8.0 / 4), within(1e-12));
  }

  @Test
  void bleuSmoothsMissingHigherOrders() {
    // "a b c d" vs "a b x d": 1-grams 3/4, 2-grams 1/3, 3- and 4-grams 0 -> 1/(2*2), 1/(4*1).
    double expected = Math.pow(0.75 * (1.0 / 3) * (1.0 / 4) * (1.0 / 4), 0.25);
    assertThat(TextMetrics.bleu("a b c d", "a b x d")).isCloseTo(expected, within(1e-12));
  }

  @Test
  void rougeLMatchesTheReferenceVector() {
    assertThat(TextMetrics.rougeL(INDIA, PARIS, RougeMode.FMEASURE))
        .isCloseTo(0.8571428571428571, within(1e-12));
    // candidate 3 tokens, reference 6, LCS 3.
    assertThat(TextMetrics.rougeL("tower in paris", PARIS, RougeMode.PRECISION)).isEqualTo(1.0);
    assertThat(TextMetrics.rougeL("tower in paris", PARIS, RougeMode.RECALL))
        .isEqualTo(3.0 / 7);
    assertThat(TextMetrics.rougeL("", "", RougeMode.FMEASURE)).isEqualTo(1.0);
    assertThat(TextMetrics.rougeL("x", "", RougeMode.FMEASURE)).isEqualTo(0.0);
  }
}
