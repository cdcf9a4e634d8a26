package dev.keel.store;

import java.time.Instant;
import java.util.Objects;

/**
 * A position in the traces list (newest first, ties by id descending): the last trace of a
 * page, so that the next page is read by seeking past it instead of skipping every row before
 * it. {@link #encode()} gives a URL-safe token, {@link #decode} reads one back.
 */
public record TraceCursor(Instant timestamp, String id) {

  public TraceCursor {
    Objects.requireNonNull(timestamp, "timestamp");
    Objects.requireNonNull(id, "id");
  }

  /** The cursor just past {@code t}, the last trace of a page. */
  public static TraceCursor after(TraceSummary t) {
    return new TraceCursor(t.trace().timestamp(), t.trace().id());
  }

  /** The timestamp in microseconds, a dot, and the id. */
  public String encode() {
    return Rows.micros(timestamp) + "." + id;
  }

  /** Reads {@link #encode()}'s form; a malformed token names itself in the exception. */
  public static TraceCursor decode(String token) {
    int dot = token == null ? -1 : token.indexOf('.');
    if (dot < 1 || dot == token.length() - 1) {
      throw new IllegalArgumentException("after must be <microseconds>.<trace id>: " + token);
    }
    try {
      return new TraceCursor(Rows.instant(Long.parseLong(token.substring(0, dot))),
          token.substring(dot + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("after must be <microseconds>.<trace id>: " + token);
    }
  }
}
