package dev.keel.store;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Filters for listing scores, newest first. Null filters match everything; {@code userId}
 * matches the user of the score's trace. Time bounds: from inclusive, to exclusive.
 */
public record ScoreQuery(String projectId, String traceId, String observationId,
    String sessionId, String name, String userId, String source, String dataType,
    String configId, String environment, List<String> scoreIds, Instant fromTimestamp,
    Instant toTimestamp, int page, int limit) {

  public ScoreQuery {
    Objects.requireNonNull(projectId, "projectId");
    scoreIds = scoreIds == null ? List.of() : List.copyOf(scoreIds);
    Queries.checkPaging(page, limit);
  }

  /** All scores of a project, first page of {@code limit}. */
  public static ScoreQuery all(String projectId, int limit) {
    return new ScoreQuery(projectId, null, null, null, null, null, null, null, null, null,
        null, null, null, 1, limit);
  }
}
