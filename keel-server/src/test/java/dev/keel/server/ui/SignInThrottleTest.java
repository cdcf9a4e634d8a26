package dev.keel.server.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

class SignInThrottleTest {

  private Instant now = Instant.parse("2026-01-01T00:00:00Z");
  private final Clock clock = new Clock() {
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
  };

  @Test
  void tenFailures_blockTheAddressUntilTheOldestLeavesTheWindow() {
    var t = new SignInThrottle(clock);
    for (int i = 0; i < SignInThrottle.MAX_FAILURES; i++) {
      assertThat(t.waitSeconds("10.0.0.1")).isZero();
      t.failed("10.0.0.1");
      now = now.plusSeconds(1);
    }

    assertThat(t.waitSeconds("10.0.0.1")).isEqualTo(290);
    assertThat(t.waitSeconds("10.0.0.2")).isZero();
    now = now.plus(Duration.ofSeconds(291));
    assertThat(t.waitSeconds("10.0.0.1")).isZero();
  }

  @Test
  void success_clearsTheFailures() {
    var t = new SignInThrottle(clock);
    for (int i = 0; i < SignInThrottle.MAX_FAILURES - 1; i++) {
      t.failed("10.0.0.1");
    }

    t.succeeded("10.0.0.1");
    t.failed("10.0.0.1");

    assertThat(t.waitSeconds("10.0.0.1")).isZero();
  }
}
