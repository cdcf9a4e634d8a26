package dev.keel.store;

import java.time.Instant;
import java.util.Objects;

/**
 * A session: the traces that share a session id. It has no row of its own; its creation time
 * is its first trace's timestamp and its environment that trace's.
 */
public record SessionSummary(String id, String projectId, Instant createdAt,
    String environment, long traceCount) {

  public SessionSummary {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(projectId, "projectId");
    Objects.requireNonNull(createdAt, "createdAt");
  }
}
