package dev.keel.providers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keel.core.usage.Usage;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * OpenAI chunks to Anthropic stream events in Anthropic's order: message_start, then per block
 * content_block_start, deltas and content_block_stop, then message_delta and message_stop.
 *
 * <p>OpenAI reports usage only in the last chunk, so message_start carries input_tokens 0 and
 * the real counts (input and output) arrive in message_delta, as the Messages API also does.
 * The final events wait for {@code [DONE]} because the usage chunk follows the finish chunk.
 */
final class OpenAiToAnthropicStream implements StreamTranslator {

  private static final String DONE = "[DONE]";

  private final Map<Integer, Integer> blockByToolIndex = new HashMap<>();
  private boolean started;
  private boolean finished;
  private int openBlock = -1;
  private boolean openBlockIsText;
  private int nextBlock;
  private String stopReason;
  private Usage usage = Usage.NONE;

  @Override
  public List<SseEvent> onEvent(SseEvent upstream) {
    String data = upstream.data().strip();
    if (finished || data.isEmpty()) {
      return List.of();
    }
    List<SseEvent> out = new ArrayList<>();
    if (data.equals(DONE)) {
      finish(out);
      return out;
    }
    ObjectNode chunk = Json.parseUpstreamObject(data);
    if (chunk.has("error")) {
      out.add(event("error", errorEvent(chunk.path("error"))));
      return out;
    }
    if (!started) {
      start(chunk, out);
    }
    if (chunk.path("usage").isObject()) {
      usage = UsageParser.openAi(chunk.get("usage"));
    }
    JsonNode choice = chunk.path("choices").path(0);
    delta(choice.path("delta"), out);
    String finish = Json.text(choice, "finish_reason");
    if (finish != null) {
      closeBlock(out);
      stopReason = Mapping.toStopReason(finish);
    }
    return out;
  }

  @Override
  public List<SseEvent> onEnd() {
    List<SseEvent> out = new ArrayList<>();
    // Some OpenAI-compatible servers end after the finish chunk without [DONE]; the answer is
    // whole then. Without a finish reason the answer was cut, and nothing is made up.
    if (started && !finished && stopReason != null) {
      finish(out);
    }
    return out;
  }

  private void start(ObjectNode chunk, List<SseEvent> out) {
    started = true;
    ObjectNode message = Json.object().put("id", Mapping.toAnthropicId(Json.text(chunk, "id")));
    message.put("type", "message").put("role", "assistant");
    message.put("model", Json.text(chunk, "model") == null ? "" : Json.text(chunk, "model"));
    message.putArray("content");
    message.putNull("stop_reason").putNull("stop_sequence");
    message.set("usage", Mapping.anthropicUsage(UsageParser.openAi(chunk.get("usage"))));
    ObjectNode e = Json.object().put("type", "message_start");
    e.set("message", message);
    out.add(event("message_start", e));
  }

  private void delta(JsonNode delta, List<SseEvent> out) {
    String text = Json.text(delta, "content");
    if (text == null || text.isEmpty()) {
      text = Json.text(delta, "refusal");
    }
    if (text != null && !text.isEmpty()) {
      if (openBlock < 0 || !openBlockIsText) {
        ObjectNode block = Json.object().put("type", "text").put("text", "");
        openBlock(block, true, out);
      }
      ObjectNode d = Json.object().put("type", "text_delta").put("text", text);
      out.add(blockDelta(openBlock, d));
    }
    for (JsonNode call : delta.path("tool_calls")) {
      toolCall(call, out);
    }
  }

  private void toolCall(JsonNode call, List<SseEvent> out) {
    int toolIndex = call.path("index").asInt(blockByToolIndex.size());
    Integer block = blockByToolIndex.get(toolIndex);
    if (block == null) {
      ObjectNode b = Json.object().put("type", "tool_use").put("id", Json.text(call, "id"));
      b.put("name", Json.text(call.path("function"), "name"));
      b.putObject("input");
      block = openBlock(b, false, out);
      blockByToolIndex.put(toolIndex, block);
    }
    String args = Json.text(call.path("function"), "arguments");
    if (args != null && !args.isEmpty()) {
      // Interleaved fragments of parallel calls keep their own block index; OpenAI sends
      // them one call after another in practice, so the block is normally still open.
      ObjectNode d = Json.object().put("type", "input_json_delta").put("partial_json", args);
      out.add(blockDelta(block, d));
    }
  }

  private int openBlock(ObjectNode block, boolean text, List<SseEvent> out) {
    closeBlock(out);
    openBlock = nextBlock++;
    openBlockIsText = text;
    ObjectNode e = Json.object().put("type", "content_block_start").put("index", openBlock);
    e.set("content_block", block);
    out.add(event("content_block_start", e));
    return openBlock;
  }

  private void closeBlock(List<SseEvent> out) {
    if (openBlock >= 0) {
      ObjectNode e = Json.object().put("type", "content_block_stop").put("index", openBlock);
      out.add(event("content_block_stop", e));
      openBlock = -1;
    }
  }

  private void finish(List<SseEvent> out) {
    finished = true;
    closeBlock(out);
    ObjectNode e = Json.object().put("type", "message_delta");
    e.putObject("delta").put("stop_reason", stopReason == null ? "end_turn" : stopReason)
        .putNull("stop_sequence");
    e.set("usage", Mapping.anthropicUsage(usage));
    out.add(event("message_delta", e));
    out.add(event("message_stop", Json.object().put("type", "message_stop")));
  }

  private static SseEvent blockDelta(int index, ObjectNode delta) {
    ObjectNode e = Json.object().put("type", "content_block_delta").put("index", index);
    e.set("delta", delta);
    return event("content_block_delta", e);
  }

  private static ObjectNode errorEvent(JsonNode openAiError) {
    ObjectNode e = Json.object().put("type", "error");
    String message = Json.text(openAiError, "message");
    e.putObject("error").put("type", "api_error")
        .put("message", message == null ? "upstream error" : message);
    return e;
  }

  private static SseEvent event(String name, ObjectNode data) {
    return new SseEvent(name, Json.write(data));
  }
}
