package dev.keel.providers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * Turns an Anthropic Messages request into an OpenAI chat completion request. Every field is
 * either carried over faithfully or, when chat completions has no way to honour it (top_k,
 * extended thinking, server tools, documents, more than 4 stop sequences...), refused with a
 * 400 naming it. Prompt-caching marks ({@code cache_control}) are hints OpenAI does not need
 * (it caches long prefixes by itself) and are left out; so are thinking blocks of earlier
 * assistant turns, which chat completions does not take back. With {@code drop_params} the
 * fields that cannot be honoured are left out instead of refused.
 */
final class AnthropicToOpenAiRequest {

  /** OpenAI takes at most this many stop sequences. */
  static final int MAX_STOPS = 4;

  /** Top-level fields translated (or refused with a reason) below; others are unknown. */
  private static final Set<String> KNOWN = Set.of("model", "messages", "system", "max_tokens",
      "temperature", "top_p", "top_k", "stop_sequences", "metadata", "stream", "tools",
      "tool_choice", "thinking", "service_tier", OpenAiToAnthropicRequest.DROP_PARAMS);

  private AnthropicToOpenAiRequest() {
  }

  static ObjectNode translate(ObjectNode req) {
    return translate(req, req.path(OpenAiToAnthropicRequest.DROP_PARAMS).asBoolean(false));
  }

  /** The translation; fields that cannot be honoured are refused, or left out when drop. */
  static ObjectNode translate(ObjectNode req, boolean drop) {
    Unsupported u = new Unsupported("openai", drop);
    topLevel(req, u);
    ObjectNode out = Json.object();
    out.set("model", req.get("model"));
    ArrayNode messages = out.putArray("messages");
    String system = OpenAiToAnthropicRequest.textOf(req.get("system"));
    if (!system.isEmpty()) {
      messages.addObject().put("role", "system").put("content", system);
    }
    JsonNode in = req.path("messages");
    for (int i = 0; i < in.size(); i++) {
      JsonNode m = in.get(i);
      String at = "messages[" + i + "]";
      if ("assistant".equals(Json.text(m, "role"))) {
        messages.add(assistant(m.get("content"), at, u));
      } else {
        user(m.get("content"), messages, at, u);
      }
    }
    // max_tokens, not max_completion_tokens: most OpenAI-compatible servers only know the former.
    copyIfPresent(req, "max_tokens", out, "max_tokens");
    copyIfPresent(req, "temperature", out, "temperature");
    copyIfPresent(req, "top_p", out, "top_p");
    JsonNode stops = req.get("stop_sequences");
    if (Json.present(stops) && stops.size() > MAX_STOPS) {
      u.field("stop_sequences", stops, "OpenAI takes at most " + MAX_STOPS + " stop sequences");
    } else {
      copyIfPresent(req, "stop_sequences", out, "stop");
    }
    String user = Json.text(req.path("metadata"), "user_id");
    if (user != null) {
      out.put("user", user);
    }
    if (req.path("stream").asBoolean(false)) {
      out.put("stream", true);
      // Without this OpenAI streams carry no usage, and Anthropic clients expect it at the end.
      out.putObject("stream_options").put("include_usage", true);
    }
    serviceTier(req, out, u);
    tools(req, out, u);
    return out;
  }

  /** Refuses fields with no chat-completions equivalent, and fields Keel does not know. */
  private static void topLevel(ObjectNode req, Unsupported u) {
    if (Json.present(req.get("top_k"))) {
      u.field("top_k", req.get("top_k"), "OpenAI chat completions has no top_k; use top_p");
    }
    JsonNode thinking = req.get("thinking");
    if (Json.present(thinking) && !"disabled".equals(Json.text(thinking, "type"))) {
      u.field("thinking", thinking, "OpenAI reasoning models take reasoning_effort (low, "
          + "medium, high), not a token budget, and Keel does not guess one; call the model "
          + "through /v1/chat/completions with reasoning_effort");
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = req.fields(); it.hasNext(); ) {
      var f = it.next();
      if (!KNOWN.contains(f.getKey()) && Json.present(f.getValue())) {
        u.field(f.getKey(), f.getValue(), "Keel does not translate this field to OpenAI chat "
            + "completions");
      }
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = req.path("metadata").fields();
        it.hasNext(); ) {
      var f = it.next();
      if (!"user_id".equals(f.getKey()) && Json.present(f.getValue())) {
        u.field("metadata." + f.getKey(), f.getValue(), "only metadata.user_id has an OpenAI "
            + "twin (user)");
      }
    }
  }

  private static void serviceTier(ObjectNode req, ObjectNode out, Unsupported u) {
    JsonNode tier = req.get("service_tier");
    if (!Json.present(tier)) {
      return;
    }
    switch (tier.asText("")) {
      case "auto" -> out.put("service_tier", "auto");
      case "standard_only" -> out.put("service_tier", "default");
      default -> u.field("service_tier", tier, "OpenAI's tiers that match Anthropic's are "
          + "\"auto\" and \"default\" (standard_only); send \"auto\" or \"standard_only\"");
    }
  }

  private static void copyIfPresent(JsonNode from, String key, ObjectNode to, String toKey) {
    JsonNode v = from.get(key);
    if (Json.present(v)) {
      to.set(toKey, v);
    }
  }

  private static ObjectNode assistant(JsonNode content, String at, Unsupported u) {
    ObjectNode m = Json.object().put("role", "assistant");
    if (content == null || content.isTextual()) {
      m.put("content", content == null ? "" : content.asText());
      return m;
    }
    var text = new StringBuilder();
    ArrayNode calls = Json.array();
    for (int j = 0; j < content.size(); j++) {
      JsonNode b = content.get(j);
      String type = Json.text(b, "type");
      if ("text".equals(type)) {
        text.append(Json.text(b, "text"));
      } else if ("tool_use".equals(type)) {
        ObjectNode call = calls.addObject().put("id", Json.text(b, "id")).put("type", "function");
        call.putObject("function").put("name", Json.text(b, "name"))
            .put("arguments", Json.write(b.path("input").isObject() ? b.get("input")
                : Json.object()));
      } else if (!"thinking".equals(type) && !"redacted_thinking".equals(type)) {
        // Thinking blocks are the earlier answer's own reasoning, which chat completions does
        // not take back; anything else would be lost.
        u.field(at + ".content[" + j + "].type", b.get("type"), "Keel does not translate this "
            + "block to OpenAI chat completions");
      }
    }
    if (text.isEmpty() && !calls.isEmpty()) {
      m.putNull("content");
    } else {
      m.put("content", text.toString());
    }
    if (!calls.isEmpty()) {
      m.set("tool_calls", calls);
    }
    return m;
  }

  /**
   * A user turn becomes one {@code tool} message per tool_result block, in order and first (they
   * answer the previous assistant turn), then one user message with whatever else it held.
   */
  private static void user(JsonNode content, ArrayNode messages, String at, Unsupported u) {
    if (content == null || content.isTextual()) {
      messages.addObject().put("role", "user").put("content",
          content == null ? "" : content.asText());
      return;
    }
    ArrayNode parts = Json.array();
    boolean onlyText = true;
    for (int j = 0; j < content.size(); j++) {
      JsonNode b = content.get(j);
      String blockAt = at + ".content[" + j + "]";
      String type = Json.text(b, "type");
      if ("tool_result".equals(type)) {
        toolResult(b, blockAt, u);
        messages.addObject().put("role", "tool").put("tool_call_id", Json.text(b, "tool_use_id"))
            .put("content", OpenAiToAnthropicRequest.textOf(b.get("content")));
      } else if ("text".equals(type)) {
        parts.addObject().put("type", "text").put("text", Json.text(b, "text"));
      } else if ("image".equals(type) && imageUrl(b.path("source")) != null) {
        onlyText = false;
        parts.addObject().put("type", "image_url").putObject("image_url")
            .put("url", imageUrl(b.path("source")));
      } else if ("image".equals(type)) {
        u.field(blockAt + ".source.type", b.path("source").get("type"), "OpenAI takes images "
            + "as base64 data or a URL");
      } else {
        u.field(blockAt + ".type", b.get("type"), "document".equals(type)
            ? "Keel does not translate documents to OpenAI chat completions"
            : "Keel does not translate this block to OpenAI chat completions");
      }
    }
    if (parts.isEmpty()) {
      return;
    }
    ObjectNode m = messages.addObject().put("role", "user");
    if (onlyText) {
      m.put("content", OpenAiToAnthropicRequest.textOf(parts));
    } else {
      m.set("content", parts);
    }
  }

  /** A tool result's error flag and non-text content have no OpenAI tool-message twin. */
  private static void toolResult(JsonNode b, String at, Unsupported u) {
    if (b.path("is_error").asBoolean(false)) {
      u.field(at + ".is_error", b.get("is_error"), "OpenAI tool messages have no error flag; "
          + "say so in the content");
    }
    JsonNode content = b.get("content");
    for (int k = 0; content != null && content.isArray() && k < content.size(); k++) {
      if (!"text".equals(Json.text(content.get(k), "type"))) {
        u.field(at + ".content[" + k + "].type", content.get(k).get("type"),
            "OpenAI tool messages hold text only");
      }
    }
  }

  /** The image as a data or http(s) URL; null for a source OpenAI cannot take (a file id). */
  private static String imageUrl(JsonNode source) {
    String type = Json.text(source, "type");
    if ("base64".equals(type)) {
      return "data:" + Json.text(source, "media_type") + ";base64," + Json.text(source, "data");
    }
    return "url".equals(type) ? Json.text(source, "url") : null;
  }

  private static void tools(ObjectNode req, ObjectNode out, Unsupported u) {
    ArrayNode tools = Json.array();
    JsonNode declared = req.path("tools");
    for (int i = 0; i < declared.size(); i++) {
      JsonNode t = declared.get(i);
      if (Json.text(t, "name") == null || t.has("type") && !"custom".equals(Json.text(t, "type"))) {
        u.field("tools[" + i + "].type", t.get("type"), "server tools run on Anthropic's side; "
            + "OpenAI models cannot call them");
        continue;
      }
      ObjectNode fn = tools.addObject().put("type", "function").putObject("function");
      fn.put("name", Json.text(t, "name"));
      if (Json.text(t, "description") != null) {
        fn.put("description", Json.text(t, "description"));
      }
      fn.set("parameters", t.path("input_schema").isObject() ? t.get("input_schema")
          : Json.object().put("type", "object"));
      if (t.path("strict").isBoolean()) {
        fn.set("strict", t.get("strict"));
      }
    }
    if (tools.isEmpty()) {
      return;
    }
    out.set("tools", tools);
    JsonNode choice = req.path("tool_choice");
    switch (String.valueOf(Json.text(choice, "type"))) {
      case "any" -> out.put("tool_choice", "required");
      case "none" -> out.put("tool_choice", "none");
      case "tool" -> out.putObject("tool_choice").put("type", "function")
          .putObject("function").put("name", Json.text(choice, "name"));
      case "auto" -> out.put("tool_choice", "auto");
      default -> { }
    }
    if (choice.path("disable_parallel_tool_use").asBoolean(false)) {
      out.put("parallel_tool_calls", false);
    }
  }
}
