package dev.keel.providers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Turns an Anthropic Messages request into an OpenAI chat completion request. Anthropic-only
 * fields (top_k, thinking, cache_control marks, service_tier) are dropped.
 */
final class AnthropicToOpenAiRequest {

  private AnthropicToOpenAiRequest() {
  }

  static ObjectNode translate(ObjectNode req) {
    ObjectNode out = Json.object();
    out.set("model", req.get("model"));
    ArrayNode messages = out.putArray("messages");
    String system = OpenAiToAnthropicRequest.textOf(req.get("system"));
    if (!system.isEmpty()) {
      messages.addObject().put("role", "system").put("content", system);
    }
    for (JsonNode m : req.path("messages")) {
      if ("assistant".equals(Json.text(m, "role"))) {
        messages.add(assistant(m.get("content")));
      } else {
        user(m.get("content"), messages);
      }
    }
    // max_tokens, not max_completion_tokens: most OpenAI-compatible servers only know the former.
    copyIfPresent(req, "max_tokens", out, "max_tokens");
    copyIfPresent(req, "temperature", out, "temperature");
    copyIfPresent(req, "top_p", out, "top_p");
    copyIfPresent(req, "stop_sequences", out, "stop");
    String user = Json.text(req.path("metadata"), "user_id");
    if (user != null) {
      out.put("user", user);
    }
    if (req.path("stream").asBoolean(false)) {
      out.put("stream", true);
      // Without this OpenAI streams carry no usage, and Anthropic clients expect it at the end.
      out.putObject("stream_options").put("include_usage", true);
    }
    tools(req, out);
    return out;
  }

  private static void copyIfPresent(JsonNode from, String key, ObjectNode to, String toKey) {
    JsonNode v = from.get(key);
    if (Json.present(v)) {
      to.set(toKey, v);
    }
  }

  private static ObjectNode assistant(JsonNode content) {
    ObjectNode m = Json.object().put("role", "assistant");
    if (content == null || content.isTextual()) {
      m.put("content", content == null ? "" : content.asText());
      return m;
    }
    var text = new StringBuilder();
    ArrayNode calls = Json.array();
    for (JsonNode b : content) {
      String type = Json.text(b, "type");
      if ("text".equals(type)) {
        text.append(Json.text(b, "text"));
      } else if ("tool_use".equals(type)) {
        ObjectNode call = calls.addObject().put("id", Json.text(b, "id")).put("type", "function");
        call.putObject("function").put("name", Json.text(b, "name"))
            .put("arguments", Json.write(b.path("input").isObject() ? b.get("input")
                : Json.object()));
      }
      // thinking and redacted_thinking blocks have no chat-completions form and are dropped.
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
  private static void user(JsonNode content, ArrayNode messages) {
    if (content == null || content.isTextual()) {
      messages.addObject().put("role", "user").put("content",
          content == null ? "" : content.asText());
      return;
    }
    ArrayNode parts = Json.array();
    boolean onlyText = true;
    for (JsonNode b : content) {
      String type = Json.text(b, "type");
      if ("tool_result".equals(type)) {
        messages.addObject().put("role", "tool").put("tool_call_id", Json.text(b, "tool_use_id"))
            .put("content", OpenAiToAnthropicRequest.textOf(b.get("content")));
      } else if ("text".equals(type)) {
        parts.addObject().put("type", "text").put("text", Json.text(b, "text"));
      } else if ("image".equals(type)) {
        onlyText = false;
        parts.addObject().put("type", "image_url").putObject("image_url")
            .put("url", imageUrl(b.path("source")));
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

  private static String imageUrl(JsonNode source) {
    if ("base64".equals(Json.text(source, "type"))) {
      return "data:" + Json.text(source, "media_type") + ";base64," + Json.text(source, "data");
    }
    return Json.text(source, "url");
  }

  private static void tools(ObjectNode req, ObjectNode out) {
    ArrayNode tools = Json.array();
    for (JsonNode t : req.path("tools")) {
      if (Json.text(t, "name") == null || t.has("type") && !"custom".equals(Json.text(t, "type"))) {
        continue; // server tools (web_search, bash, ...) cannot run on an OpenAI upstream
      }
      ObjectNode fn = tools.addObject().put("type", "function").putObject("function");
      fn.put("name", Json.text(t, "name"));
      if (Json.text(t, "description") != null) {
        fn.put("description", Json.text(t, "description"));
      }
      fn.set("parameters", t.path("input_schema").isObject() ? t.get("input_schema")
          : Json.object().put("type", "object"));
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
