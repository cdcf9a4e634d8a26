package dev.keel.core.trace;

import dev.keel.core.cost.Cost;
import dev.keel.core.usage.Usage;
import java.time.Instant;
import java.util.Objects;

/**
 * A step inside a trace: a span, a model call (GENERATION), a tool call, and so on.
 *
 * <p>{@code input}, {@code output}, {@code metadata} and {@code modelParameters} hold raw JSON
 * text (or null). {@code cost} is null when the price is unknown, which is not the same as zero.
 */
public record Observation(
    String id,
    String traceId,
    String projectId,
    String parentObservationId,
    ObservationType type,
    String name,
    Instant startTime,
    Instant endTime,
    Instant completionStartTime,
    String model,
    String modelParameters,
    String input,
    String output,
    String metadata,
    Level level,
    String statusMessage,
    Usage usage,
    Cost cost,
    String promptName,
    Integer promptVersion,
    String environment) {

  public Observation {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(traceId, "traceId");
    Objects.requireNonNull(projectId, "projectId");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(startTime, "startTime");
    level = level == null ? Level.DEFAULT : level;
    usage = usage == null ? Usage.NONE : usage;
    environment = environment == null ? "default" : environment;
  }
}
