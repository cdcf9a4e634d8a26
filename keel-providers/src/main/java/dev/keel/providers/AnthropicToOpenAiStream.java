package dev.keel.providers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Anthropic stream events to OpenAI {@code chat.completion.chunk}s: a role chunk first, text
 * and tool-call deltas, a finish chunk, a usage chunk with empty choices, then {@code [DONE]}.
 */
final class AnthropicToOpenAiStream implements StreamTranslator {

  private final String structuredOutputTool;
  private final Map<Integer, Integer> toolIndexByBlock = new HashMap<>();
  private final Map<Integer, Boolean> structuredBlocks = new HashMap<>();
  private String id = Mapping.toOpenAiId(null);
  private String model = "";
  private final long created = System.currentTimeMillis() / 1000;
  private final ObjectNode usage = Json.object();
  private boolean finished;

  AnthropicToOpenAiStream(String structuredOutputTool) {
    this.structuredOutputTool = structuredOutputTool;
  }

  @Override
  public List<SseEvent> onEvent(SseEvent upstream) {
    if (finished || upstream.data().isEmpty()) {
      return List.of();
    }
    ObjectNode e = Json.parseUpstreamObject(upstream.data());
    String type = Json.text(e, "type");
    return switch (type == null ? "" : type) {
      case "message_start" -> start(e.path("message"));
      case "content_block_start" -> blockStart(e);
      case "content_block_delta" -> blockDelta(e);
      case "message_delta" -> messageDelta(e);
      case "message_stop" -> stop();
      case "error" -> List.of(SseEvent.data(Json.write(openAiError(e.path("error")))));
      default -> List.of(); // ping, content_block_stop and future event types
    };
  }

  @Override
  public List<SseEvent> onEnd() {
    // A stream that ended without message_stop is reported by the upstream client as
    // DISCONNECTED; a finish chunk and [DONE] here would pass a cut answer off as whole.
    return List.of();
  }

  private List<SseEvent> start(JsonNode message) {
    id = Mapping.toOpenAiId(Json.text(message, "id"));
    model = Json.text(message, "model") == null ? "" : Json.text(message, "model");
    mergeUsage(message.path("usage"));
    ObjectNode delta = Json.object().put("role", "assistant").put("content", "");
    return List.of(chunk(delta, null));
  }

  private List<SseEvent> blockStart(ObjectNode e) {
    JsonNode block = e.path("content_block");
    int index = e.path("index").asInt();
    if (!"tool_use".equals(Json.text(block, "type"))) {
      return List.of();
    }
    if (ResponseTranslation.isStructured(block, structuredOutputTool)) {
      structuredBlocks.put(index, true);
      return List.of();
    }
    int toolIndex = toolIndexByBlock.size();
    toolIndexByBlock.put(index, toolIndex);
    ObjectNode call = Json.object().put("index", toolIndex);
    call.put("id", Json.text(block, "id")).put("type", "function");
    call.putObject("function").put("name", Json.text(block, "name")).put("arguments", "");
    ObjectNode delta = Json.object();
    delta.putArray("tool_calls").add(call);
    return List.of(chunk(delta, null));
  }

  private List<SseEvent> blockDelta(ObjectNode e) {
    JsonNode d = e.path("delta");
    int index = e.path("index").asInt();
    String type = Json.text(d, "type");
    if ("text_delta".equals(type)) {
      return List.of(chunk(Json.object().put("content", Json.text(d, "text")), null));
    }
    if (!"input_json_delta".equals(type)) {
      return List.of(); // thinking and signature deltas have no chat-completions form
    }
    String fragment = Json.text(d, "partial_json");
    if (structuredBlocks.containsKey(index)) {
      return List.of(chunk(Json.object().put("content", fragment), null));
    }
    Integer toolIndex = toolIndexByBlock.get(index);
    if (toolIndex == null || fragment == null || fragment.isEmpty()) {
      return List.of();
    }
    ObjectNode call = Json.object().put("index", toolIndex);
    call.putObject("function").put("arguments", fragment);
    ObjectNode delta = Json.object();
    delta.putArray("tool_calls").add(call);
    return List.of(chunk(delta, null));
  }

  private List<SseEvent> messageDelta(ObjectNode e) {
    mergeUsage(e.path("usage"));
    String finish = Mapping.toFinishReason(Json.text(e.path("delta"), "stop_reason"));
    if (!structuredBlocks.isEmpty()) {
      finish = "stop";
    }
    return List.of(chunk(Json.object(), finish == null ? "stop" : finish));
  }

  private List<SseEvent> stop() {
    finished = true;
    ObjectNode c = chunkNode();
    c.putArray("choices");
    c.set("usage", Mapping.openAiUsage(UsageParser.anthropic(usage)));
    return List.of(SseEvent.data(Json.write(c)), SseEvent.data("[DONE]"));
  }

  /** message_delta usage holds running totals that replace message_start's. */
  private void mergeUsage(JsonNode u) {
    if (u.isObject()) {
      for (var f : u.properties()) {
        if (f.getValue().isNumber()) {
          usage.set(f.getKey(), f.getValue());
        }
      }
    }
  }

  private SseEvent chunk(ObjectNode delta, String finishReason) {
    ObjectNode c = chunkNode();
    ObjectNode choice = c.putArray("choices").addObject().put("index", 0);
    choice.set("delta", delta);
    choice.putNull("logprobs");
    if (finishReason == null) {
      choice.putNull("finish_reason");
    } else {
      choice.put("finish_reason", finishReason);
    }
    return SseEvent.data(Json.write(c));
  }

  private ObjectNode chunkNode() {
    ObjectNode c = Json.object().put("id", id).put("object", "chat.completion.chunk");
    return c.put("created", created).put("model", model);
  }

  private static ObjectNode openAiError(JsonNode anthropicError) {
    ObjectNode out = Json.object();
    out.putObject("error").put("message", Json.text(anthropicError, "message"))
        .put("type", Json.text(anthropicError, "type")).putNull("param").putNull("code");
    return out;
  }
}
