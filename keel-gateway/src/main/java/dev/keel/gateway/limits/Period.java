package dev.keel.gateway.limits;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.TemporalAdjusters;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How often a budget starts again from zero: {@code daily} (midnight), {@code weekly} (Monday
 * midnight), {@code monthly} (midnight on the 1st), all in the configured time zone;
 * {@code total} (never); or a fixed duration such as {@code 30m}, {@code 6h} or {@code 7d}
 * counted from the budget's anchor.
 *
 * <p>Spend is kept per period start, so a period "resets" by the clock moving past its end: no
 * job zeroes anything, and nothing can reset early (LiteLLM's reset job did, for rows without a
 * reset time). Calendar periods go through {@link ZonedDateTime}, so a day across a DST change
 * is 23 or 25 hours long, as the wall clock says.
 */
public record Period(String text, Duration fixed) {

  private static final Pattern DURATION = Pattern.compile("([1-9][0-9]{0,6})([smhd])");
  private static final Instant NEVER = Instant.parse("9999-12-31T23:59:59Z");

  /** Parses a period, naming what is accepted when it is not valid. */
  public static Period parse(String text) {
    String t = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
    switch (t) {
      case "daily", "weekly", "monthly", "total" -> {
        return new Period(t, null);
      }
      default -> {
        Matcher m = DURATION.matcher(t);
        if (!m.matches()) {
          throw new IllegalArgumentException("period must be daily, weekly, monthly, total or"
              + " a duration like 30m, 6h or 7d: " + text);
        }
        long n = Long.parseLong(m.group(1));
        Duration d = switch (m.group(2)) {
          case "s" -> Duration.ofSeconds(n);
          case "m" -> Duration.ofMinutes(n);
          case "h" -> Duration.ofHours(n);
          default -> Duration.ofDays(n);
        };
        return new Period(t, d);
      }
    }
  }

  /** The start of the period holding {@code now}. */
  public Instant start(Instant now, ZoneId zone, Instant anchor) {
    if (fixed != null) {
      long size = fixed.toMillis();
      long k = Math.floorDiv(now.toEpochMilli() - anchor.toEpochMilli(), size);
      return anchor.plusMillis(k * size);
    }
    ZonedDateTime local = now.atZone(zone);
    return switch (text) {
      case "daily" -> local.toLocalDate().atStartOfDay(zone).toInstant();
      case "weekly" -> local.toLocalDate().with(TemporalAdjusters.previousOrSame(
          DayOfWeek.MONDAY)).atStartOfDay(zone).toInstant();
      case "monthly" -> local.toLocalDate().withDayOfMonth(1).atStartOfDay(zone).toInstant();
      default -> Instant.EPOCH;
    };
  }

  /** When the period holding {@code now} ends (the next one's start); far future for total. */
  public Instant end(Instant now, ZoneId zone, Instant anchor) {
    Instant start = start(now, zone, anchor);
    if (fixed != null) {
      return start.plus(fixed);
    }
    ZonedDateTime s = start.atZone(zone);
    return switch (text) {
      case "daily" -> s.toLocalDate().plusDays(1).atStartOfDay(zone).toInstant();
      case "weekly" -> s.toLocalDate().plusWeeks(1).atStartOfDay(zone).toInstant();
      case "monthly" -> s.toLocalDate().plusMonths(1).atStartOfDay(zone).toInstant();
      default -> NEVER;
    };
  }

  /** Whether the period never ends. */
  public boolean isTotal() {
    return "total".equals(text);
  }

  @Override
  public String toString() {
    return text;
  }
}
