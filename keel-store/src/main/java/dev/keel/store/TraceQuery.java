package dev.keel.store;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Filters for listing traces, newest first. Null filters match everything; every tag in
 * {@code tags} must be on a trace for it to match. Time bounds: from inclusive, to exclusive.
 */
public record TraceQuery(String projectId, Instant fromTimestamp, Instant toTimestamp,
    String userId, String sessionId, String name, List<String> tags, String environment,
    int page, int limit) {

  public TraceQuery {
    Objects.requireNonNull(projectId, "projectId");
    tags = tags == null ? List.of() : List.copyOf(tags);
    Queries.checkPaging(page, limit);
  }

  /** All traces of a project, first page of {@code limit}. */
  public static TraceQuery all(String projectId, int limit) {
    return new TraceQuery(projectId, null, null, null, null, null, null, null, 1, limit);
  }
}
