package dev.keel.core.trace;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/**
 * The time parameters of read filters ({@code fromTimestamp}, {@code toStartTime},
 * {@code fromUpdatedAt}, the web UI's {@code from} and {@code to}...), parsed in this one place
 * so every API accepts and refuses the same values.
 *
 * <p>The store keeps times as microseconds since 1970 in a 64-bit number and ingestion accepts
 * years 1970 to 9999 only. A filter outside those years can match nothing, and converted to
 * microseconds it would overflow, so it is refused with a message naming the parameter. Errors
 * are {@link IllegalArgumentException}s; each API turns them into a 400 in its own shape.
 */
public final class QueryTime {

  /** The earliest time a filter may name. */
  public static final Instant EARLIEST = Instant.parse("1970-01-01T00:00:00Z");
  /** The first instant after year 9999, which no filter may reach. */
  public static final Instant END = Instant.parse("+10000-01-01T00:00:00Z");
  private static final int MAX_ECHO = 80;

  private QueryTime() {}

  /**
   * Parses an ISO-8601 date-time with an offset ({@code Z} or {@code +hh:mm}) given as the
   * parameter {@code name}; null or blank gives null.
   */
  public static Instant parse(String name, String value) {
    if (value == null || value.isBlank()) {
      return null;
    }
    Instant t;
    try {
      t = OffsetDateTime.parse(value.strip()).toInstant();
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(name + " must be an ISO-8601 date-time with an offset,"
          + " such as 2026-01-31T12:00:00Z: " + echo(value));
    }
    return inRange(name, t, value);
  }

  /** {@code t} when it lies in the years 1970 to 9999, else an error naming the parameter. */
  public static Instant inRange(String name, Instant t, String value) {
    if (t.isBefore(EARLIEST) || !t.isBefore(END)) {
      throw new IllegalArgumentException(name + " must be between year 1970 and 9999: "
          + echo(value));
    }
    return t;
  }

  /**
   * Checks that a time range is not reversed: {@code from} after {@code to} matches nothing,
   * so it is an error naming both parameters and values. Either bound may be null.
   */
  public static void ordered(String fromName, Instant from, String toName, Instant to) {
    if (from != null && to != null && from.isAfter(to)) {
      throw new IllegalArgumentException(fromName + " must not be after " + toName + ": "
          + fromName + "=" + from + " is after " + toName + "=" + to);
    }
  }

  private static String echo(String value) {
    return value.length() > MAX_ECHO ? value.substring(0, MAX_ECHO) + "..." : value;
  }
}
