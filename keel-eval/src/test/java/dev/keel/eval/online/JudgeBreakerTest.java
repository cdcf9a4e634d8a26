package dev.keel.eval.online;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class JudgeBreakerTest {

  private final Moving clock = new Moving(Instant.parse("2026-12-04T10:00:00Z"));
  private final OnlineStats stats = new OnlineStats(() -> 0);
  private final JudgeBreaker breaker = new JudgeBreaker("r", stats, clock);

  @Test
  void failuresInARow_pauseAtTheLimit_successInBetweenStartsCountingAgain() {
    for (int i = 0; i < JudgeBreaker.LIMIT - 1; i++) {
      breaker.failed("HTTP 502");
    }
    breaker.succeeded();
    for (int i = 0; i < JudgeBreaker.LIMIT - 1; i++) {
      breaker.failed("HTTP 502");
    }

    assertThat(breaker.refusal()).isNull();
    assertThat(breaker.health().paused()).isFalse();

    breaker.failed("HTTP 404: no such model");

    assertThat(breaker.refusal()).contains("failed 5 times in a row",
        "last: HTTP 404: no such model", "paused until 2026-12-04T10:10:00Z");
    assertThat(breaker.health()).isEqualTo(new JudgeHealth(5, "HTTP 404: no such model",
        Instant.parse("2026-12-04T10:10:00Z")));
    assertThat(stats.count(OnlineStats.JUDGE_PAUSED, "rule", "r")).isEqualTo(1);
  }

  @Test
  void paused_oneProbeAfterTheRetryTime_failureRepauses_answerResumes() {
    for (int i = 0; i < JudgeBreaker.LIMIT; i++) {
      breaker.failed("down");
    }
    clock.now = clock.now.plus(JudgeBreaker.RETRY);

    String probe = breaker.refusal();
    String whileProbing = breaker.refusal();
    breaker.failed("still down");
    String afterFailedProbe = breaker.refusal();
    clock.now = clock.now.plus(JudgeBreaker.RETRY);
    String secondProbe = breaker.refusal();
    breaker.succeeded();

    assertThat(probe).isNull();
    assertThat(whileProbing).isNotNull();
    assertThat(afterFailedProbe).contains("paused until 2026-12-04T10:20:00Z");
    assertThat(secondProbe).isNull();
    assertThat(breaker.refusal()).isNull();
    assertThat(breaker.health()).isEqualTo(JudgeHealth.HEALTHY);
    assertThat(stats.count(OnlineStats.JUDGE_PAUSED, "rule", "r")).as("one pause").isEqualTo(1);
  }

  @Test
  void reset_resumesAtOnce() {
    for (int i = 0; i < JudgeBreaker.LIMIT; i++) {
      breaker.failed("down");
    }

    breaker.reset();

    assertThat(breaker.refusal()).isNull();
    assertThat(breaker.health().consecutiveFailures()).isZero();
  }

  private static final class Moving extends Clock {
    Instant now;

    Moving(Instant now) {
      this.now = now;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
