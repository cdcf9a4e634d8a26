package dev.keel.simulator;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Map;

/**
 * Quality profiles: a model of quality q answers a share q of the answer book's questions with
 * the book's reference and the rest with another question's answer. Which questions are which
 * is fixed by a hash of model and question (one uniform draw per pair), so runs are
 * reproducible.
 */
final class Quality {

  /**
   * Qualities of simulated models when the scenario names none, ordered like their real twins
   * so an offline comparison of a big and a small model shows the small one score lower.
   */
  static final Map<String, Double> DEFAULTS = Map.ofEntries(
      Map.entry("gpt-4o", 0.9),
      Map.entry("gpt-4o-mini", 0.7),
      Map.entry("gpt-4.1", 0.92),
      Map.entry("gpt-4.1-mini", 0.8),
      Map.entry("gpt-4.1-nano", 0.5),
      Map.entry("o3-mini", 0.85),
      Map.entry("claude-3-5-haiku-20241022", 0.75),
      Map.entry("claude-3-5-sonnet-20241022", 0.9),
      Map.entry("claude-3-7-sonnet-20250219", 0.92),
      Map.entry("claude-sonnet-4-20250514", 0.95));
  static final double FALLBACK = 0.8;

  private Quality() {}

  /** A number in [0, 1) fixed by model and question. */
  static double draw(String model, String question) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      byte[] h = sha.digest((model + "\n" + AnswerBook.normalise(question))
          .getBytes(StandardCharsets.UTF_8));
      long bits = ByteBuffer.wrap(h).getLong() >>> 11;
      return bits / (double) (1L << 53);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is unavailable", e);
    }
  }

  /** The book's answer when the draw falls under q, else another entry's (also fixed). */
  static String answer(AnswerBook book, AnswerBook.Entry e, String model, double q) {
    double u = draw(model, e.question());
    if (u < q) {
      return e.answer();
    }
    // Reuse the draw's fractional remainder to pick which other answer, so it stays fixed.
    int offset = 1 + (int) (((u - q) / (1 - q)) * (book.size() - 1));
    offset = Math.min(offset, book.size() - 1);
    return book.get((e.index() + offset) % book.size()).answer();
  }
}
