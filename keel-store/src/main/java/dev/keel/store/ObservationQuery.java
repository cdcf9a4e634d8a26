package dev.keel.store;

import java.time.Instant;
import java.util.Objects;

/**
 * Filters for listing observations, latest start first. Null filters match everything;
 * {@code userId} matches the user of the observation's trace; {@code model} and {@code level}
 * the observation's own. Start bounds: from inclusive, to exclusive.
 */
public record ObservationQuery(String projectId, String traceId, String name, String type,
    String userId, String model, String level, Instant fromStartTime, Instant toStartTime,
    int page, int limit) {

  public ObservationQuery {
    Objects.requireNonNull(projectId, "projectId");
    Queries.checkPaging(page, limit);
  }

  /** Without the model and level filters. */
  public ObservationQuery(String projectId, String traceId, String name, String type,
      String userId, Instant fromStartTime, Instant toStartTime, int page, int limit) {
    this(projectId, traceId, name, type, userId, null, null, fromStartTime, toStartTime, page,
        limit);
  }

  /** All observations of a project, first page of {@code limit}. */
  public static ObservationQuery all(String projectId, int limit) {
    return new ObservationQuery(projectId, null, null, null, null, null, null, 1, limit);
  }
}
