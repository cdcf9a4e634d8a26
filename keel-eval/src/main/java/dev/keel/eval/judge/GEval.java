package dev.keel.eval.judge;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * G-Eval's probability weighting: the score is the sum over allowed scores s of p(s) * s, with
 * p read from the log-probabilities of the score token. Like DeepEval, the LAST token equal to
 * the raw score is taken, alternatives under 1% are dropped, and the rest renormalised.
 */
public final class GEval {

  private static final double MIN_P = 0.01;

  private GEval() {}

  /**
   * The weighted score from OpenAI-style {@code logprobs} ({@code {"content": [{"token",
   * "logprob", "top_logprobs": [...]}]}}); NaN when they are missing or hold no score token.
   */
  public static double weightedScore(JsonNode logprobs, int raw, int min, int max) {
    if (logprobs == null || !logprobs.path("content").isArray()) {
      return Double.NaN;
    }
    JsonNode content = logprobs.get("content");
    JsonNode hit = null;
    for (JsonNode t : content) {
      if (t.path("token").asText().strip().equals(Integer.toString(raw))) {
        hit = t;
      }
    }
    if (hit == null) {
      return Double.NaN;
    }
    JsonNode alts = hit.path("top_logprobs");
    if (!alts.isArray() || alts.isEmpty()) {
      return raw;
    }
    double sum = 0;
    double weighted = 0;
    for (JsonNode alt : alts) {
      Integer s = parse(alt.path("token").asText().strip());
      double p = Math.exp(alt.path("logprob").asDouble(Double.NEGATIVE_INFINITY));
      if (s != null && s >= min && s <= max && p >= MIN_P) {
        sum += p;
        weighted += p * s;
      }
    }
    return sum == 0 ? raw : weighted / sum;
  }

  private static Integer parse(String token) {
    try {
      return Integer.valueOf(token);
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
