package dev.keel.simulator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** OpenAI chat completions: {@code chat.completion} bodies, {@code chat.completion.chunk} SSE. */
final class OpenAiWire implements ChatWire {

  static final int CONTEXT_WINDOW = 128_000;
  private static final String FINGERPRINT = "fp_keelsim";
  private static final byte[] DONE = "data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8);

  @Override
  public String format() {
    return SimulatedModel.OPENAI;
  }

  @Override
  public ChatRequest parse(JsonNode body, String apiKey) {
    return OpenAiRequests.parse(body, apiKey);
  }

  @Override
  public byte[] errorBody(ApiError error) {
    return openAiError(error);
  }

  /** {@code {"error": {"message", "type", "param", "code"}}}, shared with embeddings and models. */
  static byte[] openAiError(ApiError error) {
    ObjectNode root = Json.MAPPER.createObjectNode();
    ObjectNode e = root.putObject("error");
    e.put("message", error.message());
    e.put("type", error.kind().openAiType);
    e.put("param", error.param());
    e.put("code", error.kind().openAiCode);
    return bytes(root);
  }

  @Override
  public ApiError faultError(Fault fault, ChatRequest r, int promptTokens) {
    return switch (fault) {
      case RATE_LIMIT -> ApiError.of(ApiError.Kind.RATE_LIMITED, "Rate limit reached for "
          + r.model() + " (simulated). Please try again later.");
      case SERVER_ERROR -> ApiError.of(ApiError.Kind.SERVER,
          "The server had an error while processing your request. Sorry about that!");
      case UNAVAILABLE -> ApiError.of(ApiError.Kind.UNAVAILABLE,
          "The engine is currently overloaded, please try again later.");
      case CONTEXT_LENGTH -> new ApiError(ApiError.Kind.CONTEXT_LENGTH, "This model's maximum"
          + " context length is " + CONTEXT_WINDOW + " tokens. However, your messages resulted"
          + " in " + (CONTEXT_WINDOW + promptTokens) + " tokens. Please reduce the length of"
          + " the messages.", "messages");
      case CONTENT_POLICY -> ApiError.of(ApiError.Kind.CONTENT_POLICY, "Your request was"
          + " rejected as a result of our safety system (simulated content_policy fault).");
      default -> throw new IllegalArgumentException("not an error fault: " + fault);
    };
  }

  @Override
  public byte[] answerBody(ChatRequest r, Answer a, TokenUsage u) {
    ObjectNode root = header(r, Ids.next("chatcmpl-", 29), "chat.completion");
    ObjectNode choice = root.putArray("choices").addObject();
    choice.put("index", 0);
    ObjectNode msg = choice.putObject("message");
    msg.put("role", "assistant");
    msg.put("content", a.text());
    msg.putNull("refusal");
    msg.putArray("annotations");
    if (a.callsTools()) {
      ArrayNode calls = msg.putArray("tool_calls");
      a.toolCalls().forEach(c -> calls.add(toolCall(c, callId(), c.argumentsJson())));
    }
    choice.set("logprobs", r.logprobs() && a.text() != null
        ? Logprobs.node(a.pieces(), r.topLogprobs()) : null);
    choice.put("finish_reason", a.callsTools() ? "tool_calls" : "stop");
    if (u != null) {
      root.set("usage", usage(u));
    }
    root.put("service_tier", "default");
    return bytes(root);
  }

  @Override
  public List<byte[]> answerFrames(ChatRequest r, Answer a, TokenUsage u) {
    String id = Ids.next("chatcmpl-", 29);
    List<byte[]> frames = new ArrayList<>();
    ObjectNode first = chunk(r, id);
    first.set("delta", Json.MAPPER.createObjectNode().put("role", "assistant").put("content", "")
        .putNull("refusal"));
    frames.add(frame(r, first));
    for (String piece : a.pieces()) {
      ObjectNode c = chunk(r, id);
      c.putObject("delta").put("content", piece);
      if (r.logprobs()) {
        c.set("logprobs", Logprobs.node(List.of(piece), r.topLogprobs()));
      }
      frames.add(frame(r, c));
    }
    addToolCallFrames(r, id, a, frames);
    ObjectNode last = chunk(r, id);
    last.putObject("delta");
    last.put("finish_reason", a.callsTools() ? "tool_calls" : "stop");
    frames.add(frame(r, last));
    if (r.includeUsage() && u != null) {
      ObjectNode usage = header(r, id, "chat.completion.chunk");
      usage.putArray("choices");
      usage.set("usage", usage(u));
      frames.add(sse(usage));
    }
    frames.add(DONE);
    return frames;
  }

  @Override
  public byte[] malformedBody(ChatRequest r) {
    return ("{\"id\": \"" + Ids.next("chatcmpl-", 29) + "\", \"object\": \"chat.completion\","
        + " \"model\": \"" + r.model() + "\", \"choices\": [{\"index\": 0, \"message\": {")
        .getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public List<byte[]> malformedFrames(ChatRequest r, Answer a, TokenUsage u) {
    List<byte[]> frames = answerFrames(r, a, u);
    byte[] broken = ("data: {\"id\":\"" + Ids.next("chatcmpl-", 29)
        + "\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"delta\":{\"content\":\n\n")
        .getBytes(StandardCharsets.UTF_8);
    return List.of(frames.get(0), broken, DONE);
  }

  private void addToolCallFrames(ChatRequest r, String id, Answer a, List<byte[]> frames) {
    for (int i = 0; i < a.toolCalls().size(); i++) {
      Answer.ToolCall call = a.toolCalls().get(i);
      ObjectNode start = chunk(r, id);
      ObjectNode tc = toolCall(call, callId(), "").put("index", i);
      start.putObject("delta").putArray("tool_calls").add(tc);
      frames.add(frame(r, start));
      for (String piece : Answer.split(call.argumentsJson())) {
        ObjectNode c = chunk(r, id);
        ObjectNode delta = c.putObject("delta").putArray("tool_calls").addObject().put("index", i);
        delta.putObject("function").put("arguments", piece);
        frames.add(frame(r, c));
      }
    }
  }

  private static ObjectNode toolCall(Answer.ToolCall call, String id, String arguments) {
    ObjectNode tc = Json.MAPPER.createObjectNode();
    tc.put("id", id);
    tc.put("type", "function");
    tc.putObject("function").put("name", call.name()).put("arguments", arguments);
    return tc;
  }

  private static String callId() {
    return Ids.next("call_", 24);
  }

  private static ObjectNode header(ChatRequest r, String id, String object) {
    ObjectNode root = Json.MAPPER.createObjectNode();
    root.put("id", id);
    root.put("object", object);
    root.put("created", System.currentTimeMillis() / 1000);
    root.put("model", r.model());
    root.put("system_fingerprint", FINGERPRINT);
    return root;
  }

  /** A chunk with one choice, whose delta and finish the caller fills in. */
  private static ObjectNode chunk(ChatRequest r, String id) {
    ObjectNode c = header(r, id, "chat.completion.chunk");
    ObjectNode choice = c.putArray("choices").addObject();
    choice.put("index", 0);
    choice.putNull("logprobs");
    choice.putNull("finish_reason");
    return c;
  }

  /** Moves the caller's delta, logprobs and finish into the choice, then frames it. */
  private static byte[] frame(ChatRequest r, ObjectNode c) {
    ObjectNode choice = (ObjectNode) c.get("choices").get(0);
    for (String field : new String[] {"delta", "logprobs", "finish_reason"}) {
      if (c.has(field)) {
        choice.set(field, c.remove(field));
      }
    }
    if (r.includeUsage()) {
      c.putNull("usage");
    }
    return sse(c);
  }

  private static ObjectNode usage(TokenUsage u) {
    ObjectNode usage = Json.MAPPER.createObjectNode();
    usage.put("prompt_tokens", u.prompt());
    usage.put("completion_tokens", u.completion());
    usage.put("total_tokens", u.prompt() + u.completion());
    usage.putObject("prompt_tokens_details").put("cached_tokens", u.cached())
        .put("audio_tokens", 0);
    usage.putObject("completion_tokens_details").put("reasoning_tokens", u.reasoning())
        .put("audio_tokens", 0).put("accepted_prediction_tokens", 0)
        .put("rejected_prediction_tokens", 0);
    return usage;
  }

  private static byte[] sse(JsonNode node) {
    byte[] json = bytes(node);
    byte[] out = new byte[json.length + 8];
    System.arraycopy("data: ".getBytes(StandardCharsets.US_ASCII), 0, out, 0, 6);
    System.arraycopy(json, 0, out, 6, json.length);
    out[out.length - 2] = '\n';
    out[out.length - 1] = '\n';
    return out;
  }

  static byte[] bytes(JsonNode node) {
    try {
      return Json.MAPPER.writeValueAsBytes(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write JSON: " + e.getMessage(), e);
    }
  }
}
