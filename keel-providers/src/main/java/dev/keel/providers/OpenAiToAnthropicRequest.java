package dev.keel.providers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns an OpenAI chat completion request into an Anthropic Messages request. Only fields the
 * Messages API knows are written, because it rejects unknown ones; OpenAI-only knobs (n, seed,
 * logprobs, presence and frequency penalties, stream_options, ...) are dropped.
 */
final class OpenAiToAnthropicRequest {

  static final int DEFAULT_MAX_TOKENS = 4096;

  private OpenAiToAnthropicRequest() {
  }

  static ObjectNode translate(ObjectNode req) {
    ObjectNode out = Json.object();
    out.set("model", req.get("model"));
    copySystem(req.path("messages"), out);
    out.set("messages", messages(req.path("messages")));
    out.put("max_tokens", maxTokens(req));
    samplingParameters(req, out);
    if (Json.text(req, "user") != null) {
      out.putObject("metadata").put("user_id", Json.text(req, "user"));
    }
    if (req.path("stream").asBoolean(false)) {
      out.put("stream", true);
    }
    tools(req, out);
    return out;
  }

  /** The tool that carries a json_schema response_format, or null when there is none. */
  static String structuredOutputTool(JsonNode req) {
    JsonNode rf = req.path("response_format");
    if (!"json_schema".equals(Json.text(rf, "type"))) {
      return null;
    }
    String name = Json.text(rf.path("json_schema"), "name");
    return name == null ? "structured_output" : name;
  }

  private static int maxTokens(ObjectNode req) {
    JsonNode n = req.get("max_completion_tokens");
    if (n == null || !n.canConvertToInt()) {
      n = req.get("max_tokens");
    }
    return n != null && n.canConvertToInt() ? n.asInt() : DEFAULT_MAX_TOKENS;
  }

  private static void samplingParameters(ObjectNode req, ObjectNode out) {
    JsonNode t = req.get("temperature");
    if (t != null && t.isNumber()) {
      // OpenAI allows 0..2, Anthropic 0..1; the top of OpenAI's range means "most random".
      out.put("temperature", Math.min(1.0, t.asDouble()));
    }
    if (req.get("top_p") != null && req.get("top_p").isNumber()) {
      out.set("top_p", req.get("top_p"));
    }
    JsonNode stop = req.get("stop");
    if (stop != null && stop.isTextual()) {
      out.putArray("stop_sequences").add(stop.asText());
    } else if (stop != null && stop.isArray() && !stop.isEmpty()) {
      out.set("stop_sequences", stop);
    }
  }

  private static void copySystem(JsonNode messages, ObjectNode out) {
    List<String> parts = new ArrayList<>();
    for (JsonNode m : messages) {
      String role = Json.text(m, "role");
      if ("system".equals(role) || "developer".equals(role)) {
        parts.add(textOf(m.get("content")));
      }
    }
    if (!parts.isEmpty()) {
      out.put("system", String.join("\n\n", parts));
    }
  }

  private static ArrayNode messages(JsonNode messages) {
    ArrayNode out = Json.array();
    for (JsonNode m : messages) {
      String role = Json.text(m, "role");
      if (role == null || role.equals("system") || role.equals("developer")) {
        continue;
      }
      switch (role) {
        case "assistant" -> append(out, "assistant", assistantBlocks(m));
        case "tool", "function" -> append(out, "user", List.of(toolResult(m)));
        default -> append(out, "user", contentBlocks(m.get("content")));
      }
    }
    return out;
  }

  /**
   * Adds blocks as a turn, merging into the previous turn of the same role: Anthropic wants
   * the results of one assistant turn's parallel tool calls in one user turn.
   */
  private static void append(ArrayNode out, String role, List<ObjectNode> blocks) {
    if (blocks.isEmpty()) {
      return;
    }
    JsonNode last = out.isEmpty() ? null : out.get(out.size() - 1);
    ArrayNode content;
    if (last != null && role.equals(Json.text(last, "role"))) {
      content = (ArrayNode) last.get("content");
    } else {
      ObjectNode turn = out.addObject().put("role", role);
      content = turn.putArray("content");
    }
    blocks.forEach(content::add);
  }

  private static List<ObjectNode> assistantBlocks(JsonNode m) {
    List<ObjectNode> blocks = new ArrayList<>(contentBlocks(m.get("content")));
    for (JsonNode call : m.path("tool_calls")) {
      JsonNode fn = call.path("function");
      ObjectNode b = Json.object().put("type", "tool_use");
      b.put("id", Json.text(call, "id"));
      b.put("name", Json.text(fn, "name"));
      b.set("input", ResponseTranslation.arguments(Json.text(fn, "arguments")));
      blocks.add(b);
    }
    return blocks;
  }

  private static ObjectNode toolResult(JsonNode m) {
    ObjectNode b = Json.object().put("type", "tool_result");
    b.put("tool_use_id", Json.text(m, "tool_call_id"));
    b.put("content", textOf(m.get("content")));
    return b;
  }

  private static List<ObjectNode> contentBlocks(JsonNode content) {
    List<ObjectNode> blocks = new ArrayList<>();
    if (content == null || content.isNull()) {
      return blocks;
    }
    if (content.isTextual()) {
      if (!content.asText().isEmpty()) {
        blocks.add(Json.object().put("type", "text").put("text", content.asText()));
      }
      return blocks;
    }
    for (JsonNode part : content) {
      String type = Json.text(part, "type");
      if ("text".equals(type)) {
        blocks.add(Json.object().put("type", "text").put("text", Json.text(part, "text")));
      } else if ("image_url".equals(type)) {
        blocks.add(image(part.path("image_url")));
      }
      // Audio and file parts have no Messages API equivalent here and are left out.
    }
    return blocks;
  }

  private static ObjectNode image(JsonNode imageUrl) {
    String url = imageUrl.isTextual() ? imageUrl.asText() : Json.text(imageUrl, "url");
    ObjectNode b = Json.object().put("type", "image");
    ObjectNode source = b.putObject("source");
    int comma = url == null ? -1 : url.indexOf(',');
    if (url != null && url.startsWith("data:") && comma > 0) {
      String meta = url.substring("data:".length(), comma);
      source.put("type", "base64");
      source.put("media_type", meta.replace(";base64", ""));
      source.put("data", url.substring(comma + 1));
    } else {
      source.put("type", "url").put("url", url);
    }
    return b;
  }

  static String textOf(JsonNode content) {
    if (content == null || content.isNull()) {
      return "";
    }
    if (content.isTextual()) {
      return content.asText();
    }
    var sb = new StringBuilder();
    for (JsonNode part : content) {
      if (Json.text(part, "text") != null) {
        sb.append(sb.isEmpty() ? "" : "\n").append(Json.text(part, "text"));
      }
    }
    return sb.toString();
  }

  private static void tools(ObjectNode req, ObjectNode out) {
    ArrayNode tools = Json.array();
    for (JsonNode t : req.path("tools")) {
      JsonNode fn = t.path("function");
      if (fn.isObject()) {
        tools.add(tool(Json.text(fn, "name"), Json.text(fn, "description"), fn.get("parameters")));
      }
    }
    ObjectNode choice = toolChoice(req.get("tool_choice"));
    String structured = structuredOutputTool(req);
    if (structured != null) {
      // Anthropic has no response_format: a forced tool whose input schema is the requested
      // schema makes the model answer with a conforming object, which the response translator
      // turns back into message content text.
      JsonNode schema = req.path("response_format").path("json_schema");
      tools.add(tool(structured, Json.text(schema, "description"), schema.get("schema")));
      choice = Json.object().put("type", "tool").put("name", structured);
    }
    String choiceType = choice == null ? null : Json.text(choice, "type");
    if (tools.isEmpty() || "none".equals(choiceType)) {
      return; // tool_choice none is expressed by not offering tools at all
    }
    out.set("tools", tools);
    if (!req.path("parallel_tool_calls").asBoolean(true)) {
      choice = choice == null ? Json.object().put("type", "auto") : choice;
      choice.put("disable_parallel_tool_use", true);
    }
    if (choice != null) {
      out.set("tool_choice", choice);
    }
  }

  private static ObjectNode tool(String name, String description, JsonNode schema) {
    ObjectNode t = Json.object().put("name", name);
    if (description != null) {
      t.put("description", description);
    }
    if (schema != null && schema.isObject()) {
      t.set("input_schema", schema);
    } else {
      t.putObject("input_schema").put("type", "object").putObject("properties");
    }
    return t;
  }

  private static ObjectNode toolChoice(JsonNode c) {
    if (c == null || c.isNull()) {
      return null;
    }
    if (c.isTextual()) {
      return switch (c.asText()) {
        case "none" -> Json.object().put("type", "none");
        case "required" -> Json.object().put("type", "any");
        default -> Json.object().put("type", "auto");
      };
    }
    String name = Json.text(c.path("function"), "name");
    return name == null ? null : Json.object().put("type", "tool").put("name", name);
  }
}
