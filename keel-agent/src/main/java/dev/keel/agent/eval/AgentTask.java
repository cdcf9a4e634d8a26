package dev.keel.agent.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keel.agent.Agent;
import dev.keel.agent.AgentResult;
import dev.keel.agent.ToolCallRecord;
import dev.keel.eval.EvalItem;
import dev.keel.eval.TaskOutput;
import dev.keel.eval.run.Task;
import java.util.List;
import java.util.function.Function;

/**
 * An agent as the task of a Keel evaluation: each item's input (text, or JSON given as its text)
 * is one run in the item's trace. The output carries the answer, the tool calls for tool-call
 * scorers, the cost, and the run's summary as raw JSON ({@code status}, {@code reason},
 * {@code steps}, {@code trajectory}, {@code tool_calls}). A run stopped by a bound is an answer
 * to score, not a task failure; only a model call that failed ({@code FAILED}) fails the item.
 */
public final class AgentTask implements Task {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Function<EvalItem, Agent> agents;

  /** One agent for every item. */
  public AgentTask(Agent agent) {
    this(item -> agent);
  }

  /** An agent per item (fresh tool state, per-item instructions...). */
  public AgentTask(Function<EvalItem, Agent> agents) {
    this.agents = agents;
  }

  @Override
  public TaskOutput run(EvalItem item, String traceId) {
    String input = item.input().isTextual() ? item.input().asText() : item.input().toString();
    long start = System.nanoTime();
    AgentResult r = agents.apply(item).run(input, traceId);
    long ms = (System.nanoTime() - start) / 1_000_000;
    List<JsonNode> calls = r.toolCalls().stream().map(AgentTask::call).toList();
    String error = r.status() == AgentResult.Status.FAILED ? r.reason() : null;
    // The trace id is left to the runner, which records its tags on the same trace.
    return new TaskOutput(r.answer(), summary(r, calls), calls, List.of(), r.costUsd(), ms,
        null, error);
  }

  /** The run as JSON: what an HTTP endpoint serving an agent would answer. */
  public static ObjectNode summary(AgentResult r) {
    return summary(r, r.toolCalls().stream().map(AgentTask::call).toList());
  }

  private static ObjectNode summary(AgentResult r, List<JsonNode> calls) {
    ObjectNode n = JSON.createObjectNode().put("status", r.status().name())
        .put("reason", r.reason()).put("answer", r.answer()).put("steps", r.steps())
        .put("cost_usd", r.costUsd()).put("trace_id", r.traceId());
    n.set("structured", r.structured());
    ArrayNode trajectory = n.putArray("trajectory");
    r.trajectory().forEach(trajectory::add);
    n.putArray("tool_calls").addAll(calls);
    return n;
  }

  private static JsonNode call(ToolCallRecord c) {
    ObjectNode n = JSON.createObjectNode().put("name", c.name());
    n.set("arguments", c.arguments());
    return n.put("outcome", c.outcome().name()).put("result", c.result());
  }
}
