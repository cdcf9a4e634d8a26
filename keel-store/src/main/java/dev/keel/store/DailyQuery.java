package dev.keel.store;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Filters for daily metrics, on the traces' name, user, tags (all must match) and timestamp
 * (from inclusive, to exclusive). Null filters match everything.
 */
public record DailyQuery(String projectId, String traceName, String userId, List<String> tags,
    Instant from, Instant to) {

  public DailyQuery {
    Objects.requireNonNull(projectId, "projectId");
    tags = tags == null ? List.of() : List.copyOf(tags);
  }
}
