package dev.keel.eval.online;

import java.time.Instant;

/**
 * A rule's judge health as the rules API shows it.
 *
 * @param consecutiveFailures failed judge calls since the judge last answered
 * @param lastError the last failure's reason, or null
 * @param retryAt when a rule whose judging is paused tries its judge again; null when it is not
 *     paused
 */
public record JudgeHealth(int consecutiveFailures, String lastError, Instant retryAt) {

  static final JudgeHealth HEALTHY = new JudgeHealth(0, null, null);

  /** True while the rule's judging is paused after failures in a row. */
  public boolean paused() {
    return retryAt != null;
  }
}
