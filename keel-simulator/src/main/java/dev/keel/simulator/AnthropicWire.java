package dev.keel.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Anthropic messages: {@code message} bodies and the streaming event sequence
 * message_start, content_block_start, ping, content_block_delta..., content_block_stop,
 * message_delta, message_stop.
 */
final class AnthropicWire implements ChatWire {

  static final int CONTEXT_WINDOW = 200_000;

  @Override
  public String format() {
    return SimulatedModel.ANTHROPIC;
  }

  @Override
  public ChatRequest parse(JsonNode body, String apiKey) {
    return AnthropicRequests.parse(body, apiKey);
  }

  @Override
  public byte[] errorBody(ApiError error) {
    return anthropicError(error);
  }

  /** {@code {"type": "error", "error": {"type", "message"}}}. */
  static byte[] anthropicError(ApiError error) {
    ObjectNode root = Json.MAPPER.createObjectNode();
    root.put("type", "error");
    root.putObject("error").put("type", error.kind().anthropicType)
        .put("message", error.message());
    return OpenAiWire.bytes(root);
  }

  @Override
  public ApiError faultError(Fault fault, ChatRequest r, int promptTokens) {
    return switch (fault) {
      case RATE_LIMIT -> ApiError.of(ApiError.Kind.RATE_LIMITED, "This request would exceed"
          + " the rate limit for " + r.model() + " (simulated). Please try again later.");
      case SERVER_ERROR -> ApiError.of(ApiError.Kind.SERVER, "Internal server error");
      case UNAVAILABLE -> ApiError.of(ApiError.Kind.UNAVAILABLE, "Overloaded");
      case CONTEXT_LENGTH -> ApiError.of(ApiError.Kind.CONTEXT_LENGTH, "prompt is too long: "
          + (CONTEXT_WINDOW + promptTokens) + " tokens > " + CONTEXT_WINDOW + " maximum");
      case CONTENT_POLICY -> ApiError.of(ApiError.Kind.CONTENT_POLICY, "Output blocked by"
          + " content filtering policy (simulated content_policy fault).");
      default -> throw new IllegalArgumentException("not an error fault: " + fault);
    };
  }

  @Override
  public byte[] answerBody(ChatRequest r, Answer a, TokenUsage u) {
    ObjectNode root = message(r, Ids.next("msg_", 24));
    ArrayNode content = root.putArray("content");
    if (a.text() != null) {
      content.addObject().put("type", "text").put("text", a.text());
    }
    a.toolCalls().forEach(c -> content.add(toolUse(c).set("input", parse(c.argumentsJson()))));
    root.put("stop_reason", a.callsTools() ? "tool_use" : "end_turn");
    root.set("usage", usage(u, u.completion()));
    return OpenAiWire.bytes(root);
  }

  @Override
  public List<byte[]> answerFrames(ChatRequest r, Answer a, TokenUsage u) {
    List<byte[]> frames = new ArrayList<>();
    ObjectNode start = event("message_start");
    ObjectNode msg = message(r, Ids.next("msg_", 24));
    msg.putArray("content");
    msg.putNull("stop_reason");
    msg.set("usage", usage(u, 1));
    start.set("message", msg);
    frames.add(frame(start));
    int index = 0;
    if (a.text() != null) {
      ObjectNode block = Json.MAPPER.createObjectNode().put("type", "text").put("text", "");
      addBlock(frames, index++, block, a.pieces(), "text_delta", "text");
    }
    for (Answer.ToolCall call : a.toolCalls()) {
      ObjectNode block = toolUse(call);
      block.putObject("input");
      addBlock(frames, index++, block, Answer.split(call.argumentsJson()), "input_json_delta",
          "partial_json");
    }
    ObjectNode delta = event("message_delta");
    delta.putObject("delta").put("stop_reason", a.callsTools() ? "tool_use" : "end_turn")
        .putNull("stop_sequence");
    delta.putObject("usage").put("output_tokens", u.completion());
    frames.add(frame(delta));
    frames.add(frame(event("message_stop")));
    return frames;
  }

  @Override
  public byte[] malformedBody(ChatRequest r) {
    return ("{\"id\": \"" + Ids.next("msg_", 24) + "\", \"type\": \"message\", \"role\":"
        + " \"assistant\", \"model\": \"" + r.model() + "\", \"content\": [{\"type\": \"te")
        .getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public List<byte[]> malformedFrames(ChatRequest r, Answer a, TokenUsage u) {
    List<byte[]> frames = answerFrames(r, a, u);
    byte[] broken = ("event: content_block_start\ndata: {\"type\":\"content_block_start\","
        + "\"index\":0,\"content_block\":{\"type\":\"te\n\n").getBytes(StandardCharsets.UTF_8);
    return List.of(frames.get(0), broken, frames.get(frames.size() - 1));
  }

  /** content_block_start, a ping after the first block starts, deltas, content_block_stop. */
  private static void addBlock(List<byte[]> frames, int index, ObjectNode block,
      List<String> pieces, String deltaType, String deltaField) {
    ObjectNode start = event("content_block_start").put("index", index);
    start.set("content_block", block);
    frames.add(frame(start));
    if (index == 0) {
      frames.add(frame(event("ping")));
    }
    for (String piece : pieces) {
      ObjectNode d = event("content_block_delta").put("index", index);
      d.putObject("delta").put("type", deltaType).put(deltaField, piece);
      frames.add(frame(d));
    }
    frames.add(frame(event("content_block_stop").put("index", index)));
  }

  private static ObjectNode message(ChatRequest r, String id) {
    ObjectNode root = Json.MAPPER.createObjectNode();
    root.put("id", id);
    root.put("type", "message");
    root.put("role", "assistant");
    root.put("model", r.model());
    root.putNull("stop_sequence");
    return root;
  }

  private static ObjectNode toolUse(Answer.ToolCall call) {
    return Json.MAPPER.createObjectNode().put("type", "tool_use").put("id", Ids.next("toolu_", 24))
        .put("name", call.name());
  }

  private static ObjectNode usage(TokenUsage u, int outputTokens) {
    ObjectNode usage = Json.MAPPER.createObjectNode();
    usage.put("input_tokens", u.uncachedInput());
    usage.put("cache_creation_input_tokens", u.cacheWrite());
    usage.put("cache_read_input_tokens", u.cached());
    usage.put("output_tokens", outputTokens);
    usage.put("service_tier", "standard");
    return usage;
  }

  private static ObjectNode event(String type) {
    return Json.MAPPER.createObjectNode().put("type", type);
  }

  private static byte[] frame(ObjectNode event) {
    String head = "event: " + event.get("type").asText() + "\ndata: ";
    byte[] json = OpenAiWire.bytes(event);
    byte[] h = head.getBytes(StandardCharsets.US_ASCII);
    byte[] out = new byte[h.length + json.length + 2];
    System.arraycopy(h, 0, out, 0, h.length);
    System.arraycopy(json, 0, out, h.length, json.length);
    out[out.length - 2] = '\n';
    out[out.length - 1] = '\n';
    return out;
  }

  private static JsonNode parse(String json) {
    try {
      return Json.MAPPER.readTree(json);
    } catch (IOException e) {
      // json=invalid on a forced tool may hand us a non-object; keep it visible as a string.
      return Json.MAPPER.getNodeFactory().textNode(json);
    }
  }
}
