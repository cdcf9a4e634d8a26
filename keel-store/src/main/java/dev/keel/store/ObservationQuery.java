package dev.keel.store;

import java.time.Instant;
import java.util.Objects;

/**
 * Filters for listing observations, latest start first. Null filters match everything;
 * {@code userId} matches the user of the observation's trace. Start bounds: from inclusive,
 * to exclusive.
 */
public record ObservationQuery(String projectId, String traceId, String name, String type,
    String userId, Instant fromStartTime, Instant toStartTime, int page, int limit) {

  public ObservationQuery {
    Objects.requireNonNull(projectId, "projectId");
    Queries.checkPaging(page, limit);
  }

  /** All observations of a project, first page of {@code limit}. */
  public static ObservationQuery all(String projectId, int limit) {
    return new ObservationQuery(projectId, null, null, null, null, null, null, 1, limit);
  }
}
