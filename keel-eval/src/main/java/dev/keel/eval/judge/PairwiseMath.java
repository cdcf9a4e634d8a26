package dev.keel.eval.judge;

import dev.keel.eval.ScoreResult;

/** Combines the two orders of a pairwise comparison, cancelling position bias. */
public final class PairwiseMath {

  private PairwiseMath() {}

  /**
   * {@code first}: the winner with the candidate as A; {@code second}: with the candidate as B.
   * The candidate wins (1) or loses (0) only when both orders agree; otherwise it is a tie (0.5).
   */
  public static ScoreResult combine(String name, String first, String second) {
    boolean winFirst = "A".equals(first);
    boolean winSecond = "B".equals(second);
    boolean loseFirst = "B".equals(first);
    boolean loseSecond = "A".equals(second);
    String orders = "candidate first: " + first + ", candidate second: " + second;
    if (winFirst && winSecond) {
      return new ScoreResult(name, 1.0, "win", "both orders prefer the candidate (" + orders + ")");
    }
    if (loseFirst && loseSecond) {
      return new ScoreResult(name, 0.0, "loss", "both orders prefer the baseline (" + orders
          + ")");
    }
    return new ScoreResult(name, 0.5, "tie", "the orders disagree or tie (" + orders + ")");
  }
}
