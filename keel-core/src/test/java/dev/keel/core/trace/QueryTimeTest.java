package dev.keel.core.trace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class QueryTimeTest {

  @Test
  void parse_offsetDateTimes_giveTheInstant() {
    assertThat(QueryTime.parse("from", "2026-01-31T12:00:00+02:00"))
        .isEqualTo(Instant.parse("2026-01-31T10:00:00Z"));
    assertThat(QueryTime.parse("from", " 1970-01-01T00:00:00Z ")).isEqualTo(Instant.EPOCH);
    assertThat(QueryTime.parse("to", "9999-12-31T23:59:59.999999999Z"))
        .isEqualTo(QueryTime.END.minusNanos(1));
  }

  @Test
  void parse_absentOrBlank_isNull() {
    assertThat(QueryTime.parse("from", null)).isNull();
    assertThat(QueryTime.parse("from", " ")).isNull();
  }

  @Test
  void parse_outsideTheYears1970To9999_failsNamingTheParameter() {
    assertThatThrownBy(() -> QueryTime.parse("fromTimestamp", "-999999999-01-01T00:00:00Z"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("fromTimestamp must be between year 1970 and 9999: "
            + "-999999999-01-01T00:00:00Z");
    assertThatThrownBy(() -> QueryTime.parse("toTimestamp", "+10000-01-01T00:00:00Z"))
        .hasMessage("toTimestamp must be between year 1970 and 9999: +10000-01-01T00:00:00Z");
    assertThatThrownBy(() -> QueryTime.parse("from", "1970-01-01T00:00:00+00:01"))
        .hasMessageStartingWith("from must be between year 1970 and 9999");
  }

  @Test
  void parse_notADateTime_failsWithAnExampleAndTheValueShortened() {
    assertThatThrownBy(() -> QueryTime.parse("fromTimestamp", "2026-01-31T12:00:00"))
        .hasMessage("fromTimestamp must be an ISO-8601 date-time with an offset, such as "
            + "2026-01-31T12:00:00Z: 2026-01-31T12:00:00");
    assertThatThrownBy(() -> QueryTime.parse("from", "x".repeat(500)))
        .hasMessageEndingWith(": " + "x".repeat(80) + "...");
  }

  @Test
  void ordered_fromAfterTo_failsNamingBoth_equalOrOpenIsFine() {
    Instant a = Instant.parse("2026-12-01T00:00:00Z");
    Instant b = Instant.parse("2026-12-05T00:00:00Z");

    assertThatThrownBy(() -> QueryTime.ordered("fromTimestamp", b, "toTimestamp", a))
        .hasMessage("fromTimestamp must not be after toTimestamp: fromTimestamp="
            + "2026-12-05T00:00:00Z is after toTimestamp=2026-12-01T00:00:00Z");
    QueryTime.ordered("fromTimestamp", a, "toTimestamp", a);
    QueryTime.ordered("fromTimestamp", a, "toTimestamp", b);
    QueryTime.ordered("fromTimestamp", null, "toTimestamp", a);
    QueryTime.ordered("fromTimestamp", b, "toTimestamp", null);
  }
}
