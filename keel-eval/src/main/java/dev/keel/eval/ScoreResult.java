package dev.keel.eval;

/**
 * A scorer's verdict on one item.
 *
 * @param value the score; {@code NaN} when the scorer cannot tell (never a fake 0)
 * @param label a categorical or text value, or null
 * @param reason why, in a sentence (judge rationale, what mismatched, why undetermined)
 */
public record ScoreResult(String name, double value, String label, String reason) {

  /** The scorer could not tell, for the reason given. */
  public static ScoreResult undetermined(String name, String reason) {
    return new ScoreResult(name, Double.NaN, null, reason);
  }

  public boolean determined() {
    return !Double.isNaN(value);
  }
}
