package dev.keel.gateway.trace;

import dev.keel.core.cost.Cost;
import dev.keel.core.trace.Level;
import dev.keel.core.trace.ObservationType;
import dev.keel.core.usage.Usage;
import dev.keel.gateway.RequestMeta;
import java.time.Instant;
import java.util.Map;

/**
 * Everything Keel learned about one upstream attempt of a gateway call, turned into a trace and a
 * GENERATION (or EMBEDDING) observation by {@link CallRecorder}.
 *
 * @param input the request's messages as JSON text
 * @param output the answer (message, tool calls) as JSON text, or null
 * @param cost null when the model's price is unknown
 * @param metadata extra observation metadata (provider, requested model, simulated, ...)
 */
public record CallRecord(
    RequestMeta meta,
    String traceName,
    ObservationType type,
    String model,
    Instant start,
    Instant end,
    Instant completionStart,
    String modelParameters,
    String input,
    String output,
    Usage usage,
    Cost cost,
    Level level,
    String statusMessage,
    Map<String, Object> metadata) {

  /** This record with another input, for attempts that sent a different conversation. */
  public CallRecord withInput(String newInput) {
    return new CallRecord(meta, traceName, type, model, start, end, completionStart,
        modelParameters, newInput, output, usage, cost, level, statusMessage, metadata);
  }
}
