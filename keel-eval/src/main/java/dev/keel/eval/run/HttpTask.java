package dev.keel.eval.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keel.eval.EvalItem;
import dev.keel.eval.TaskOutput;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The user's own endpoint: POSTs {@code {"id", "input", "metadata"}} with the trace id in
 * {@code x-keel-trace-id} (so an app that calls Keel's gateway can reuse it), and reads the
 * answer at a pointer ({@code $.choices[0].text} or {@code /choices/0/text}), and the
 * retrieved contexts at another when the endpoint is a RAG pipeline.
 */
final class HttpTask implements Task {

  private final KeelHttp http;
  private final String url;
  private final String pointer;
  private final String contextsPointer;

  HttpTask(KeelHttp http, String url, String answer, String contexts) {
    this.http = http;
    this.url = url;
    this.pointer = pointer(answer);
    this.contextsPointer = contexts == null ? null : pointer(contexts);
  }

  @Override
  public TaskOutput run(EvalItem item, String traceId) {
    ObjectNode body = RunResults.JSON.createObjectNode().put("id", item.id());
    body.set("input", item.input());
    body.set("metadata", item.metadata());
    long start = System.nanoTime();
    HttpResponse<String> r = http.post(url, body, Map.of("x-keel-trace-id", traceId));
    long ms = (System.nanoTime() - start) / 1_000_000;
    JsonNode json = KeelHttp.json(r);
    JsonNode answer = json.at(pointer);
    if (answer.isMissingNode() || answer.isNull()) {
      return new TaskOutput(null, json, List.of(), List.of(), null, ms, null,
          "the endpoint's answer has nothing at " + pointer);
    }
    return new TaskOutput(answer.isTextual() ? answer.asText() : answer.toString(), json,
        toolCalls(json), contexts(json), cost(json), ms, null, null);
  }

  /**
   * Tool calls the endpoint reports in a top-level {@code tool_calls} array ({@code {"name",
   * "arguments"}} each), for the tool-call and trajectory scorers; none when it reports none.
   */
  private static List<JsonNode> toolCalls(JsonNode json) {
    List<JsonNode> out = new ArrayList<>();
    json.path("tool_calls").forEach(out::add);
    return out;
  }

  /** The cost the endpoint reports as a top-level {@code cost_usd} number, or null. */
  private static java.math.BigDecimal cost(JsonNode json) {
    JsonNode c = json.path("cost_usd");
    return c.isNumber() ? c.decimalValue() : null;
  }

  /** Retrieved contexts for RAG metrics: strings, or objects with {@code text} or content. */
  private List<String> contexts(JsonNode json) {
    if (contextsPointer == null) {
      return List.of();
    }
    List<String> out = new ArrayList<>();
    for (JsonNode c : json.at(contextsPointer)) {
      out.add(c.isTextual() ? c.asText() : c.path("text").isTextual() ? c.path("text").asText()
          : c.path("content").isTextual() ? c.path("content").asText() : c.toString());
    }
    return out;
  }

  /** Turns {@code $.a.b[0]} into the JSON Pointer {@code /a/b/0}; a pointer stays as it is. */
  static String pointer(String answer) {
    if (answer.startsWith("/")) {
      return answer;
    }
    if (!answer.startsWith("$")) {
      throw new IllegalArgumentException("task.answer must start with $ or /: " + answer);
    }
    String p = answer.substring(1).replaceAll("\\[(\\d+)]", ".$1").replace('.', '/');
    return p.isEmpty() ? "" : p;
  }
}
