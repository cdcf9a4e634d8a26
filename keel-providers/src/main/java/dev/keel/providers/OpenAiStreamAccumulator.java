package dev.keel.providers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keel.core.usage.Usage;
import java.util.Map;
import java.util.TreeMap;

/** Rebuilds a chat.completion from its chunks (choice 0 only; Keel does not stream n > 1). */
final class OpenAiStreamAccumulator implements StreamAccumulator {

  private final StringBuilder content = new StringBuilder();
  private final Map<Integer, ToolCall> toolCalls = new TreeMap<>();
  private String id;
  private String model;
  private long created;
  private String systemFingerprint;
  private String finishReason;
  private String refusal;
  private JsonNode usageNode;
  private boolean firstToken;

  @Override
  public void accept(SseEvent event) {
    String data = event.data().strip();
    if (data.isEmpty() || data.equals("[DONE]")) {
      return;
    }
    ObjectNode chunk;
    try {
      chunk = Json.parseUpstreamObject(data);
    } catch (UpstreamException e) {
      // A broken event ends the stream: passed on, the client would get half an answer that
      // looks whole, and the trace would record a success.
      throw e;
    }
    header(chunk);
    if (chunk.path("usage").isObject()) {
      usageNode = chunk.get("usage");
    }
    JsonNode choice = chunk.path("choices").path(0);
    delta(choice.path("delta"));
    if (Json.text(choice, "finish_reason") != null) {
      finishReason = Json.text(choice, "finish_reason");
    }
  }

  @Override
  public ObjectNode response() {
    ObjectNode out = Json.object().put("id", id).put("object", "chat.completion");
    out.put("created", created).put("model", model);
    if (systemFingerprint != null) {
      out.put("system_fingerprint", systemFingerprint);
    }
    ObjectNode choice = out.putArray("choices").addObject().put("index", 0);
    ObjectNode message = choice.putObject("message").put("role", "assistant");
    if (content.isEmpty() && !toolCalls.isEmpty()) {
      message.putNull("content");
    } else {
      message.put("content", content.toString());
    }
    message.put("refusal", refusal);
    if (!toolCalls.isEmpty()) {
      ArrayNode calls = message.putArray("tool_calls");
      toolCalls.values().forEach(c -> calls.add(c.toJson()));
    }
    choice.putNull("logprobs");
    choice.put("finish_reason", finishReason);
    if (usageNode != null) {
      out.set("usage", usageNode);
    }
    return out;
  }

  @Override
  public Usage usage() {
    return UsageParser.openAi(usageNode);
  }

  @Override
  public boolean sawFirstToken() {
    return firstToken;
  }

  private void header(ObjectNode chunk) {
    if (id == null) {
      id = Json.text(chunk, "id");
      model = Json.text(chunk, "model");
      created = Json.count(chunk, "created");
    }
    if (Json.text(chunk, "system_fingerprint") != null) {
      systemFingerprint = Json.text(chunk, "system_fingerprint");
    }
  }

  private void delta(JsonNode delta) {
    String text = Json.text(delta, "content");
    if (text != null && !text.isEmpty()) {
      content.append(text);
      firstToken = true;
    }
    String refusalPart = Json.text(delta, "refusal");
    if (refusalPart != null && !refusalPart.isEmpty()) {
      refusal = refusal == null ? refusalPart : refusal + refusalPart;
      firstToken = true;
    }
    for (JsonNode call : delta.path("tool_calls")) {
      int index = call.path("index").asInt(toolCalls.size());
      toolCalls.computeIfAbsent(index, i -> new ToolCall()).add(call);
      firstToken = true;
    }
  }

  /** One tool call assembled from its fragments. */
  private static final class ToolCall {
    private String id;
    private String name;
    private final StringBuilder arguments = new StringBuilder();

    void add(JsonNode fragment) {
      if (Json.text(fragment, "id") != null) {
        id = Json.text(fragment, "id");
      }
      JsonNode fn = fragment.path("function");
      if (Json.text(fn, "name") != null) {
        name = Json.text(fn, "name");
      }
      if (Json.text(fn, "arguments") != null) {
        arguments.append(Json.text(fn, "arguments"));
      }
    }

    ObjectNode toJson() {
      ObjectNode c = Json.object().put("id", id).put("type", "function");
      c.putObject("function").put("name", name).put("arguments", arguments.toString());
      return c;
    }
  }
}
