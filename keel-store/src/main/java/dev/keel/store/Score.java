package dev.keel.store;

import java.time.Instant;
import java.util.Objects;

/**
 * An evaluation of a trace, an observation or a session (Langfuse's ScoreBody).
 *
 * <p>NUMERIC scores carry {@code value}; BOOLEAN carry 0 or 1 in {@code value} and "True" or
 * "False" in {@code stringValue}; CATEGORICAL carry the label in {@code stringValue} and, with
 * a config, the category's number in {@code value}; TEXT carry only {@code stringValue}.
 * {@code metadata} is raw JSON text. A score value is a measurement, not money, so it is a double.
 */
public record Score(
    String id,
    String projectId,
    String traceId,
    String observationId,
    String sessionId,
    String datasetRunId,
    String name,
    Double value,
    String stringValue,
    DataType dataType,
    Source source,
    String comment,
    String metadata,
    String configId,
    String queueId,
    String environment,
    Instant timestamp) {

  /** Kinds of score value. */
  public enum DataType { NUMERIC, BOOLEAN, CATEGORICAL, TEXT }

  /** Where a score came from. */
  public enum Source { API, EVAL, ANNOTATION }

  public Score {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(projectId, "projectId");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(dataType, "dataType");
    Objects.requireNonNull(timestamp, "timestamp");
    source = source == null ? Source.API : source;
    environment = environment == null ? "default" : environment;
    if (traceId == null && sessionId == null && datasetRunId == null) {
      throw new IllegalArgumentException("score " + id
          + " needs a target: traceId, sessionId or datasetRunId");
    }
    if (value == null && stringValue == null) {
      throw new IllegalArgumentException("score " + id + " has no value");
    }
  }
}
