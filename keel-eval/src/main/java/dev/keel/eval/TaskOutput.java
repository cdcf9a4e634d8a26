package dev.keel.eval;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.List;

/**
 * What a task produced for one item.
 *
 * @param text the answer as text (null when the task failed)
 * @param raw the whole answer as JSON (a chat completion, the endpoint's body...), or null
 * @param toolCalls tool calls the model made, each {@code {"name", "arguments": {...}}}
 * @param retrievedContexts contexts a RAG task retrieved, for RAG metrics
 * @param costUsd what the task cost, or null when unknown
 * @param latencyMs how long it took
 * @param traceId the trace Keel recorded for it, or null
 * @param error why the task failed, or null
 */
public record TaskOutput(String text, JsonNode raw, List<JsonNode> toolCalls,
    List<String> retrievedContexts, BigDecimal costUsd, long latencyMs, String traceId,
    String error) {

  public TaskOutput {
    toolCalls = toolCalls == null ? List.of() : List.copyOf(toolCalls);
    retrievedContexts = retrievedContexts == null ? List.of() : List.copyOf(retrievedContexts);
  }

  public boolean failed() {
    return error != null;
  }
}
