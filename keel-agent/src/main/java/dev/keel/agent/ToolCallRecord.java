package dev.keel.agent;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;

/**
 * One tool call of a run, as the model asked for it and as it ended.
 *
 * @param arguments the parsed arguments, or a text node holding what the model sent when it was
 *     not JSON
 * @param result what the model was told (the tool's value as text, or the error)
 * @param observationId the TOOL observation recording it
 */
public record ToolCallRecord(String id, String name, JsonNode arguments, Outcome outcome,
    String result, long durationMs, String observationId) {

  public ToolCallRecord {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(arguments, "arguments");
    Objects.requireNonNull(outcome, "outcome");
  }

  /** How a tool call ended. Every outcome but OK reaches the model as an error result. */
  public enum Outcome {
    OK, ERROR, TIMEOUT, INVALID_ARGUMENTS, UNKNOWN_TOOL, DENIED
  }

  public boolean ok() {
    return outcome == Outcome.OK;
  }
}
