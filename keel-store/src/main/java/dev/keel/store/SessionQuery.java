package dev.keel.store;

import java.time.Instant;
import java.util.Objects;

/**
 * Filters for listing sessions, newest first, on the session's creation time (its first
 * trace): from inclusive, to exclusive. Null filters match everything.
 */
public record SessionQuery(String projectId, Instant fromTimestamp, Instant toTimestamp,
    String environment, int page, int limit) {

  public SessionQuery {
    Objects.requireNonNull(projectId, "projectId");
    Queries.checkPaging(page, limit);
  }
}
