package dev.keel.eval.online;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pauses one rule's judging after {@value #LIMIT} judge calls in a row failed (a model the
 * provider does not know, a provider that is down, answers that never match the schema), so a
 * broken judge is not asked, and perhaps paid, for every sampled trace. While paused the rule's
 * judge scorers are skipped and its deterministic ones still run. Every {@link #RETRY} one
 * call goes through as a probe: an answer resumes the rule, a failure keeps it paused. Changing
 * or enabling the rule resumes it at once ({@link #reset}); a restart does too, as the state
 * lives in memory only.
 *
 * <p>Workers judge traces of one rule concurrently, so every method is synchronized. Calls
 * already in flight when the rule pauses still finish and are counted; an answer among them
 * resumes the rule.
 */
final class JudgeBreaker {

  /** Failed judge calls in a row that pause a rule. */
  static final int LIMIT = 5;
  /** How long a paused rule waits before one probe call. */
  static final Duration RETRY = Duration.ofMinutes(10);
  private static final Logger LOG = LoggerFactory.getLogger(JudgeBreaker.class);

  private final String rule;
  private final OnlineStats stats;
  private final Clock clock;
  private int failures;
  private String lastError;
  private Instant pausedAt;
  private boolean probing;

  JudgeBreaker(String rule, OnlineStats stats, Clock clock) {
    this.rule = rule;
    this.stats = stats;
    this.clock = clock;
  }

  /**
   * Null when the judge may be asked (the rule is not paused, or it is time for a probe);
   * otherwise why not, for the outcome's reason.
   */
  synchronized String refusal() {
    if (pausedAt == null) {
      return null;
    }
    Instant retryAt = pausedAt.plus(RETRY);
    if (!probing && !clock.instant().isBefore(retryAt)) {
      probing = true;
      return null;
    }
    return "the rule's judge failed " + failures + " times in a row (last: " + lastError
        + "); judging is paused until " + retryAt + " or until the rule is changed or enabled"
        + " again";
  }

  synchronized void succeeded() {
    if (pausedAt != null) {
      LOG.info("online eval rule {}: its judge answers again; judging resumes", rule);
    }
    clear();
  }

  synchronized void failed(String reason) {
    failures++;
    lastError = reason;
    if (probing) {
      probing = false;
      pausedAt = clock.instant();
    } else if (pausedAt == null && failures >= LIMIT) {
      pausedAt = clock.instant();
      stats.inc(OnlineStats.JUDGE_PAUSED, "rule", rule);
      LOG.warn("online eval rule {} paused its judging: {} judge calls in a row failed (last: "
          + "{}); its judge scorers are skipped, one call is tried every {} minutes, and "
          + "changing or enabling the rule (PUT or POST /api/keel/online-eval/rules/{}/enable) "
          + "resumes it at once", rule, failures, reason, RETRY.toMinutes(), rule);
    }
  }

  /** Forgets the failures: the rule was changed or enabled again. */
  synchronized void reset() {
    clear();
  }

  synchronized JudgeHealth health() {
    return new JudgeHealth(failures, lastError, pausedAt == null ? null : pausedAt.plus(RETRY));
  }

  private void clear() {
    failures = 0;
    lastError = null;
    pausedAt = null;
    probing = false;
  }
}
