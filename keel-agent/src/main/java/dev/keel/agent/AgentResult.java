package dev.keel.agent;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.List;
import java.util.Objects;

/**
 * How a run ended. A run never throws for what happens during it (a model error, a tripped
 * bound): it returns this, with whatever it had when it stopped.
 *
 * @param reason why the run stopped, in a sentence; null when it completed
 * @param answer the final answer, or the last text the model gave when the run stopped early,
 *     or null
 * @param structured the final answer parsed as JSON when the agent has a response schema, or
 *     null
 * @param steps model calls made
 * @param costUsd the summed {@code usage.cost} of every model call, sub-agents included
 * @param costComplete false when some call's cost was unknown (a model without a price)
 * @param observationId the run's AGENT observation
 * @param messages the conversation in OpenAI's shape, system message first
 */
public record AgentResult(Status status, String reason, String answer, JsonNode structured,
    int steps, BigDecimal costUsd, boolean costComplete, String traceId, String observationId,
    List<ToolCallRecord> toolCalls, List<JsonNode> messages) {

  public AgentResult {
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(costUsd, "costUsd");
    toolCalls = List.copyOf(toolCalls);
    messages = List.copyOf(messages);
  }

  /** Why a run ended. */
  public enum Status {
    /** The model gave a final answer (valid for the schema, when there is one). */
    COMPLETED,
    MAX_STEPS,
    MAX_COST,
    DEADLINE,
    /** The same tool call with the same arguments reached {@link Bounds#maxRepeats()}. */
    REPEATED_TOOL_CALL,
    /** The final answer is not JSON matching the response schema. */
    INVALID_OUTPUT,
    /** The gateway refused or failed a model call. */
    FAILED
  }

  public boolean completed() {
    return status == Status.COMPLETED;
  }

  /** The tool names in call order: the run's trajectory. */
  public List<String> trajectory() {
    return toolCalls.stream().map(ToolCallRecord::name).toList();
  }
}
