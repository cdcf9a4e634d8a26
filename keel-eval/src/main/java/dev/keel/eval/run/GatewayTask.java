package dev.keel.eval.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keel.eval.EvalItem;
import dev.keel.eval.TaskOutput;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Asks a model through Keel's {@code /v1/chat/completions}. A string input is the user
 * message, a list input the messages; an object input fills the prompt's variables (and,
 * without a prompt, is sent as JSON text). An item's {@code metadata.tools} (and
 * {@code tool_choice}) are sent with it, and the tool calls made come back for scoring. The
 * trace id, run name and item id travel in {@code x-keel-*} headers.
 */
final class GatewayTask implements Task {

  private final KeelHttp keel;
  private final EvalFile.TaskSpec spec;
  private final String runName;

  GatewayTask(KeelHttp keel, EvalFile.TaskSpec spec, String runName) {
    this.keel = keel;
    this.spec = spec;
    this.runName = runName;
  }

  @Override
  public TaskOutput run(EvalItem item, String traceId) {
    long start = System.nanoTime();
    HttpResponse<String> r = keel.post("/v1/chat/completions", body(item), Map.of(
        "x-keel-trace-id", traceId, "x-keel-trace-name", "eval " + runName,
        "x-keel-tags", "keel-eval," + runName,
        "x-keel-metadata", RunResults.JSON.createObjectNode().put("eval_run", runName)
            .put("eval_item", item.id()).toString()));
    long ms = (System.nanoTime() - start) / 1_000_000;
    JsonNode answer = KeelHttp.json(r);
    JsonNode message = answer.path("choices").path(0).path("message");
    List<JsonNode> toolCalls = new ArrayList<>();
    for (JsonNode c : message.path("tool_calls")) {
      toolCalls.add(toolCall(c));
    }
    BigDecimal cost = r.headers().firstValue("x-keel-cost-usd").filter(v -> !v.isBlank())
        .map(String::strip).flatMap(GatewayTask::decimal).orElse(null);
    String text = message.path("content").isTextual() ? message.path("content").asText() : "";
    return new TaskOutput(text, answer, toolCalls, List.of(), cost, ms,
        r.headers().firstValue("x-keel-trace-id").orElse(traceId), null);
  }

  private ObjectNode body(EvalItem item) {
    ObjectNode b = RunResults.JSON.createObjectNode();
    b.put("model", spec.model());
    ArrayNode messages = b.putArray("messages");
    if (spec.system() != null) {
      messages.addObject().put("role", "system").put("content", spec.system());
    }
    tools(item, b);
    JsonNode in = item.input();
    if (spec.prompt() != null) {
      ObjectNode p = b.putObject("prompt").put("name", spec.prompt());
      if (spec.promptVersion() != null) {
        p.put("version", spec.promptVersion());
      } else {
        p.put("label", spec.promptLabel());
      }
      p.set("variables", in.isObject() ? in
          : RunResults.JSON.createObjectNode().put("input", in.asText()));
    }
    if (in.isArray()) {
      messages.addAll((ArrayNode) in);
    } else if (in.isTextual() || spec.prompt() == null) {
      messages.addObject().put("role", "user").put("content", in.isTextual() ? in.asText()
          : in.toString());
    }
    return b;
  }

  /** Tool definitions an item carries ({@code metadata.tools}, OpenAI's form) go with it. */
  private static void tools(EvalItem item, ObjectNode body) {
    JsonNode meta = item.metadata();
    if (meta == null || !meta.path("tools").isArray()) {
      return;
    }
    body.set("tools", meta.get("tools"));
    if (meta.has("tool_choice")) {
      body.set("tool_choice", meta.get("tool_choice"));
    }
  }

  private static JsonNode toolCall(JsonNode c) {
    ObjectNode t = RunResults.JSON.createObjectNode();
    t.put("name", c.path("function").path("name").asText());
    JsonNode args = c.path("function").path("arguments");
    try {
      t.set("arguments", args.isTextual() ? RunResults.JSON.readTree(args.asText()) : args);
    } catch (java.io.IOException e) {
      t.put("arguments", args.asText());
    }
    return t;
  }

  private static java.util.Optional<BigDecimal> decimal(String v) {
    try {
      return java.util.Optional.of(new BigDecimal(v));
    } catch (NumberFormatException e) {
      return java.util.Optional.empty();
    }
  }
}
