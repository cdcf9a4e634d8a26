package dev.keel.gateway.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class PeriodTest {

  private static final ZoneId PARIS = ZoneId.of("Europe/Paris");
  private static final Instant ANCHOR = Instant.parse("2025-01-01T00:00:00Z");

  @Test
  void daily_inTimeZone_startsAtLocalMidnightNotUtc() {
    Instant now = Instant.parse("2025-03-10T23:30:00Z");

    Period p = Period.parse("daily");

    assertThat(p.start(now, PARIS, ANCHOR)).isEqualTo("2025-03-10T23:00:00Z");
    assertThat(p.end(now, PARIS, ANCHOR)).isEqualTo("2025-03-11T23:00:00Z");
    assertThat(p.start(now, ZoneOffset.UTC, ANCHOR)).isEqualTo("2025-03-10T00:00:00Z");
  }

  @Test
  void daily_oneMicroBeforeMidnight_isStillTheOldPeriod() {
    Period p = Period.parse("daily");
    Instant end = Instant.parse("2025-03-11T23:00:00Z");

    Instant before = p.start(end.minusNanos(1000), PARIS, ANCHOR);
    Instant at = p.start(end, PARIS, ANCHOR);

    assertThat(before).isEqualTo("2025-03-10T23:00:00Z");
    assertThat(at).isEqualTo(end);
  }

  @Test
  void daily_acrossSpringDstChange_lasts23Hours() {
    Instant now = Instant.parse("2025-03-30T12:00:00Z");

    Period p = Period.parse("daily");

    assertThat(p.start(now, PARIS, ANCHOR)).isEqualTo("2025-03-29T23:00:00Z");
    assertThat(p.end(now, PARIS, ANCHOR)).isEqualTo("2025-03-30T22:00:00Z");
  }

  @Test
  void weekly_startsMondayMidnightLocal() {
    Instant sunday = Instant.parse("2025-03-16T22:30:00Z");

    Period p = Period.parse("weekly");

    assertThat(p.start(sunday, PARIS, ANCHOR)).isEqualTo("2025-03-09T23:00:00Z");
    assertThat(p.end(sunday, PARIS, ANCHOR)).isEqualTo("2025-03-16T23:00:00Z");
  }

  @Test
  void monthly_startsOnTheFirstAndHandlesShortMonths() {
    Instant now = Instant.parse("2025-02-28T23:59:59Z");

    Period p = Period.parse("monthly");

    assertThat(p.start(now, ZoneOffset.UTC, ANCHOR)).isEqualTo("2025-02-01T00:00:00Z");
    assertThat(p.end(now, ZoneOffset.UTC, ANCHOR)).isEqualTo("2025-03-01T00:00:00Z");
    assertThat(p.start(now, PARIS, ANCHOR)).isEqualTo("2025-02-28T23:00:00Z");
  }

  @Test
  void customDuration_countsFromTheAnchorNotFromMidnight() {
    Instant anchor = Instant.parse("2025-03-01T10:15:00Z");
    Period p = Period.parse("6h");

    Instant start = p.start(Instant.parse("2025-03-02T05:00:00Z"), PARIS, anchor);

    assertThat(start).isEqualTo("2025-03-02T04:15:00Z");
    assertThat(p.end(Instant.parse("2025-03-02T05:00:00Z"), PARIS, anchor))
        .isEqualTo("2025-03-02T10:15:00Z");
  }

  @Test
  void customDuration_justCreated_doesNotResetBeforeTheDurationElapsed() {
    // LiteLLM #22013: a budget with a duration and no reset time was zeroed within minutes.
    Instant created = Instant.parse("2025-03-01T10:00:00Z");
    Period p = Period.parse("30d");

    Instant afterTenMinutes = p.start(created.plusSeconds(600), PARIS, created);
    Instant lastMoment = p.start(Instant.parse("2025-03-31T09:59:59Z"), PARIS, created);
    Instant next = p.start(Instant.parse("2025-03-31T10:00:00Z"), PARIS, created);

    assertThat(afterTenMinutes).isEqualTo(created);
    assertThat(lastMoment).isEqualTo(created);
    assertThat(next).isEqualTo("2025-03-31T10:00:00Z");
  }

  @Test
  void total_neverResets() {
    Period p = Period.parse("total");

    assertThat(p.start(Instant.parse("2030-01-01T00:00:00Z"), PARIS, ANCHOR))
        .isEqualTo(Instant.EPOCH);
    assertThat(p.isTotal()).isTrue();
  }

  @Test
  void parse_unknown_namesWhatIsAccepted() {
    assertThatThrownBy(() -> Period.parse("fortnightly"))
        .hasMessage("period must be daily, weekly, monthly, total or a duration like 30m, 6h"
            + " or 7d: fortnightly");
    assertThatThrownBy(() -> Period.parse("0d")).hasMessageEndingWith(": 0d");
  }
}
