package dev.keel.core.trace;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One unit of work in an application: a gateway request, or a trace an SDK sent.
 *
 * <p>{@code input}, {@code output} and {@code metadata} hold raw JSON text (or null), so the
 * store keeps exactly what arrived without a parse and re-render.
 */
public record Trace(
    String id,
    String projectId,
    String name,
    Instant timestamp,
    String userId,
    String sessionId,
    String input,
    String output,
    String metadata,
    List<String> tags,
    String release,
    String version,
    String environment,
    boolean isPublic) {

  public Trace {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(projectId, "projectId");
    Objects.requireNonNull(timestamp, "timestamp");
    tags = tags == null ? List.of() : List.copyOf(tags);
    environment = environment == null ? "default" : environment;
  }
}
