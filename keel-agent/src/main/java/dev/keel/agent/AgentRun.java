package dev.keel.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keel.agent.AgentResult.Status;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One run of the tool-calling loop: ask the model, run the tools it calls, give it their
 * results, until it answers or a bound trips. Single-threaded except for the tools of a turn,
 * which {@link ToolRunner} runs concurrently.
 */
final class AgentRun {

  private final Agent agent;
  private final String traceId;
  private final String agentObservationId;
  private final dev.keel.sdk.Observation observation;
  private final long deadlineNanos;
  private final List<JsonNode> messages = new ArrayList<>();
  private final List<ToolCallRecord> toolCalls = new ArrayList<>();
  private final Map<String, Integer> seen = new HashMap<>();
  private BigDecimal cost = BigDecimal.ZERO;
  private boolean costComplete = true;
  private int steps;
  private String lastText;
  /** Set once the model answered in text but not as the schema asks: the next call formats. */
  private boolean formatting;

  AgentRun(Agent agent, dev.keel.sdk.Observation observation) {
    this.agent = agent;
    this.observation = observation;
    this.traceId = observation.traceId();
    this.agentObservationId = observation.id();
    this.deadlineNanos = System.nanoTime() + agent.bounds().deadline().toNanos();
  }

  AgentResult run(String input) {
    if (agent.instructions() != null) {
      messages.add(message("system", agent.instructions()));
    }
    messages.add(message("user", input));
    try {
      return loop();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return stop(Status.DEADLINE, "the run was interrupted");
    } catch (RuntimeException e) {
      // A run reports, it does not throw: an unexpected failure (a reply of an unknown shape,
      // a bug) still ends the AGENT observation with what the run had.
      return stop(Status.FAILED, "the run failed: " + e);
    }
  }

  private AgentResult loop() throws InterruptedException {
    Bounds b = agent.bounds();
    while (true) {
      if (steps >= b.maxSteps()) {
        return stop(Status.MAX_STEPS, "reached maxSteps " + b.maxSteps()
            + " without a final answer");
      }
      if (overBudget(true)) {
        return stop(Status.MAX_COST, costReason());
      }
      Duration left = left();
      if (left.isZero()) {
        return deadline();
      }
      GatewayClient.Reply reply;
      try {
        reply = agent.gateway().chat(request(), traceId, agentObservationId,
            min(left, b.modelTimeout()));
      } catch (GatewayClient.CallException e) {
        if (e.schemaMismatch()) {
          return stop(Status.INVALID_OUTPUT, e.getMessage());
        }
        return e.timeout && left().isZero() ? deadline() : stop(Status.FAILED, e.getMessage());
      }
      AgentResult end = afterReply(reply);
      if (end != null) {
        return end;
      }
    }
  }

  /** Records the reply and runs its tools; returns the result when the run ends here. */
  private AgentResult afterReply(GatewayClient.Reply reply) throws InterruptedException {
    steps++;
    addCost(reply.costUsd());
    ObjectNode message = reply.message();
    messages.add(message);
    JsonNode text = message.get("content");
    if (text != null && text.isTextual() && !text.asText().isBlank()) {
      lastText = text.asText();
    }
    List<ToolRunner.Call> calls = calls(message);
    if (calls.isEmpty()) {
      return overBudget(false) ? stop(Status.MAX_COST, costReason()) : finish();
    }
    formatting = false;
    if (overBudget(false)) {
      return stop(Status.MAX_COST, costReason());
    }
    String repeated = repeated(calls);
    if (repeated != null) {
      return stop(Status.REPEATED_TOOL_CALL, repeated);
    }
    runTools(calls);
    return left().isZero() ? deadline() : null;
  }

  private void runTools(List<ToolRunner.Call> calls) throws InterruptedException {
    Duration timeout = min(agent.bounds().toolTimeout(), left());
    for (ToolRunner.Finished f : agent.toolRunner().runAll(calls, observation, timeout)) {
      toolCalls.add(f.record());
      if (f.value() instanceof AgentResult sub) {
        addCost(sub.costUsd());
        costComplete &= sub.costComplete();
      }
      ObjectNode m = message("tool", f.result());
      m.put("tool_call_id", f.call().id());
      messages.add(m);
    }
  }

  /**
   * The final answer; with a schema, an answer that does not fit it gets one formatting call
   * (response_format, no tool use). Tool turns go without response_format because the gateway
   * checks every answer against it, a tool-call answer (no content) included, and would fail
   * the turn.
   */
  private AgentResult finish() {
    if (agent.responseSchema() == null) {
      return result(Status.COMPLETED, null, lastText, null);
    }
    JsonNode parsed = AgentJson.parseOrNull(lastText);
    String problem = parsed == null ? "the final answer is not JSON: "
        + AgentJson.truncate(lastText) : schemaProblem(parsed);
    if (problem == null) {
      return result(Status.COMPLETED, null, lastText, parsed);
    }
    if (!formatting) {
      formatting = true;
      return null;
    }
    return result(Status.INVALID_OUTPUT, problem, lastText, parsed);
  }

  private String schemaProblem(JsonNode answer) {
    try {
      ArgumentCheck.check(agent.responseSchema(), answer);
      return null;
    } catch (ToolArgumentException e) {
      return "the final answer does not match the schema: "
          + e.getMessage().replace("argument", "field");
    }
  }

  private String repeated(List<ToolRunner.Call> calls) {
    int max = agent.bounds().maxRepeats();
    if (max == 0) {
      return null;
    }
    for (ToolRunner.Call c : calls) {
      String key = c.name() + " " + canonical(c.argumentsText());
      int n = seen.merge(key, 1, Integer::sum);
      if (n >= max) {
        return "tool " + c.name() + " was called " + n + " times with the same arguments "
            + AgentJson.truncate(c.argumentsText());
      }
    }
    return null;
  }

  private static String canonical(String arguments) {
    JsonNode parsed = AgentJson.parseOrNull(arguments);
    if (parsed == null) {
      return String.valueOf(arguments);
    }
    try {
      Object plain = AgentJson.MAPPER.treeToValue(parsed, Object.class);
      return AgentJson.MAPPER.writer(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
          .writeValueAsString(plain);
    } catch (Exception e) {
      return parsed.toString();
    }
  }

  private ObjectNode request() {
    ObjectNode body = AgentJson.MAPPER.createObjectNode().put("model", agent.model());
    ArrayNode ms = body.putArray("messages");
    messages.forEach(ms::add);
    if (!agent.tools().isEmpty()) {
      ArrayNode tools = body.putArray("tools");
      agent.tools().values().forEach(t -> tools.add(t.toOpenAi()));
    }
    if (formatting) {
      ObjectNode format = body.putObject("response_format").put("type", "json_schema");
      format.putObject("json_schema").put("name", "final_answer")
          .set("schema", agent.responseSchema());
      if (body.has("tools")) {
        body.put("tool_choice", "none");
      }
    }
    agent.modelParameters().forEach((k, v) -> body.set(k, AgentJson.tree(v)));
    return body;
  }

  private static List<ToolRunner.Call> calls(ObjectNode message) {
    List<ToolRunner.Call> calls = new ArrayList<>();
    for (JsonNode c : message.path("tool_calls")) {
      JsonNode f = c.path("function");
      calls.add(new ToolRunner.Call(c.path("id").asText(), f.path("name").asText(),
          f.path("arguments").asText(null)));
    }
    return calls;
  }

  private void addCost(BigDecimal usd) {
    if (usd == null) {
      costComplete = false;
    } else {
      cost = cost.add(usd);
    }
  }

  /** Before a call the limit is reached at equality; after one, only when passed. */
  private boolean overBudget(boolean beforeCall) {
    BigDecimal max = agent.bounds().maxCostUsd();
    if (max == null) {
      return false;
    }
    int c = cost.compareTo(max);
    return beforeCall ? c >= 0 : c > 0;
  }

  private String costReason() {
    return "spent " + cost.toPlainString() + " USD, over maxCostUsd "
        + agent.bounds().maxCostUsd().toPlainString();
  }

  private AgentResult deadline() {
    return stop(Status.DEADLINE, "passed the deadline of " + agent.bounds().deadline()
        .toMillis() + " ms");
  }

  private AgentResult stop(Status status, String reason) {
    return result(status, reason, lastText, null);
  }

  private AgentResult result(Status status, String reason, String answer, JsonNode structured) {
    return new AgentResult(status, reason, answer, structured, steps, cost, costComplete,
        traceId, agentObservationId, toolCalls, messages);
  }

  private Duration left() {
    long n = deadlineNanos - System.nanoTime();
    return n <= 0 ? Duration.ZERO : Duration.ofNanos(n);
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  private static ObjectNode message(String role, String content) {
    return AgentJson.MAPPER.createObjectNode().put("role", role).put("content", content);
  }
}
