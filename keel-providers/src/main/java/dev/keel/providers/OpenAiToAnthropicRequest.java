package dev.keel.providers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns an OpenAI chat completion request into an Anthropic Messages request. Every field is
 * either carried over faithfully or, when the Messages API has no way to honour it (n above 1,
 * logprobs, a seed, penalties, a temperature above Anthropic's 1, audio input...), refused with
 * a 400 naming it; fields set to their "off" value (n 1, logprobs false, penalties 0) are fine.
 * With {@code drop_params} the fields that cannot be honoured are left out instead.
 */
final class OpenAiToAnthropicRequest {

  static final int DEFAULT_MAX_TOKENS = 4096;
  static final String DROP_PARAMS = "drop_params";
  static final String JSON_OBJECT_TOOL = "json_object";

  /** Top-level fields translated (or refused with a reason) below; others are unknown. */
  private static final Set<String> KNOWN = Set.of("model", "messages", "max_tokens",
      "max_completion_tokens", "temperature", "top_p", "stop", "user", "stream",
      "stream_options", "tools", "tool_choice", "parallel_tool_calls", "response_format", "n",
      "logprobs", "top_logprobs", "presence_penalty", "frequency_penalty", "seed", "logit_bias",
      "store", "metadata", "service_tier", "reasoning_effort", "modalities", "functions",
      "function_call", DROP_PARAMS);

  /** Why a field that is set (not to its "off" value) cannot reach an Anthropic model. */
  private static final Map<String, String> NO_EQUIVALENT = Map.ofEntries(
      Map.entry("logprobs", "the Messages API returns no log probabilities"),
      Map.entry("top_logprobs", "the Messages API returns no log probabilities"),
      Map.entry("presence_penalty", "the Messages API has no presence penalty; send 0"),
      Map.entry("frequency_penalty", "the Messages API has no frequency penalty; send 0"),
      Map.entry("seed", "the Messages API cannot seed sampling"),
      Map.entry("logit_bias", "the Messages API has no logit bias"),
      Map.entry("store", "Anthropic does not store completions"),
      Map.entry("metadata", "OpenAI's metadata tags stored completions; Anthropic's takes only "
          + "a user id, which comes from user"),
      Map.entry("reasoning_effort", "Anthropic's extended thinking takes a token budget, not an "
          + "effort level, and Keel does not guess one; call the model through /v1/messages "
          + "with thinking.budget_tokens"),
      Map.entry("functions", "send tools instead (functions is deprecated)"),
      Map.entry("function_call", "send tool_choice instead (function_call is deprecated)"));

  private OpenAiToAnthropicRequest() {
  }

  static ObjectNode translate(ObjectNode req) {
    return translate(req, req.path(DROP_PARAMS).asBoolean(false));
  }

  /** The translation; fields that cannot be honoured are refused, or left out when drop. */
  static ObjectNode translate(ObjectNode req, boolean drop) {
    Unsupported u = new Unsupported("anthropic", drop);
    topLevel(req, u);
    ObjectNode out = Json.object();
    out.set("model", req.get("model"));
    copySystem(req.path("messages"), out, u);
    out.set("messages", messages(req.path("messages"), u));
    out.put("max_tokens", maxTokens(req));
    samplingParameters(req, out, u);
    if (Json.text(req, "user") != null) {
      out.putObject("metadata").put("user_id", Json.text(req, "user"));
    }
    if (req.path("stream").asBoolean(false)) {
      out.put("stream", true);
    }
    serviceTier(req, out, u);
    tools(req, out, u);
    return out;
  }

  /** Refuses fields with no Messages API equivalent, and fields Keel does not know. */
  private static void topLevel(ObjectNode req, Unsupported u) {
    JsonNode n = req.get("n");
    if (Json.present(n) && !(n.canConvertToInt() && n.asInt() == 1)) {
      u.field("n", n, "Anthropic answers with one message; send n=1");
    }
    for (var e : NO_EQUIVALENT.entrySet()) {
      if (!Unsupported.isDefault(req.get(e.getKey()))) {
        u.field(e.getKey(), req.get(e.getKey()), e.getValue());
      }
    }
    JsonNode modalities = req.get("modalities");
    if (Json.present(modalities) && !(modalities.isArray() && modalities.size() == 1
        && "text".equals(modalities.get(0).asText(null)))) {
      u.field("modalities", modalities, "Anthropic models answer with text only");
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = req.fields(); it.hasNext(); ) {
      var f = it.next();
      if (!KNOWN.contains(f.getKey()) && Json.present(f.getValue())) {
        u.field(f.getKey(), f.getValue(), "Keel does not translate this field to the Anthropic "
            + "Messages API");
      }
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = req.path("stream_options").fields();
        it.hasNext(); ) {
      var f = it.next();
      if (!"include_usage".equals(f.getKey()) && !Unsupported.isDefault(f.getValue())) {
        u.field("stream_options." + f.getKey(), f.getValue(), "Keel does not translate this "
            + "stream option to the Anthropic Messages API");
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
      case "default" -> out.put("service_tier", "standard_only");
      default -> u.field("service_tier", tier, "Anthropic has \"auto\" and \"standard_only\" "
          + "(OpenAI's \"default\"); send one of \"auto\", \"default\"");
    }
  }

  /**
   * The tool that carries a json_schema or json_object response_format, or null when there is
   * none.
   */
  static String structuredOutputTool(JsonNode req) {
    JsonNode rf = req.path("response_format");
    String type = Json.text(rf, "type");
    if ("json_object".equals(type)) {
      return JSON_OBJECT_TOOL;
    }
    if (!"json_schema".equals(type)) {
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

  private static void samplingParameters(ObjectNode req, ObjectNode out, Unsupported u) {
    JsonNode t = req.get("temperature");
    if (t != null && t.isNumber()) {
      // OpenAI allows 0..2, Anthropic 0..1: the two scales are not the same, so a value above 1
      // has no faithful Anthropic twin.
      if (t.asDouble() > 1) {
        u.field("temperature", t, "Anthropic's temperature is between 0 and 1");
      } else {
        out.set("temperature", t);
      }
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

  private static void copySystem(JsonNode messages, ObjectNode out, Unsupported u) {
    List<String> parts = new ArrayList<>();
    for (int i = 0; i < messages.size(); i++) {
      JsonNode m = messages.get(i);
      String role = Json.text(m, "role");
      if ("system".equals(role) || "developer".equals(role)) {
        String at = "messages[" + i + "]";
        name(m, at, u);
        JsonNode content = m.get("content");
        for (int j = 0; content != null && content.isArray() && j < content.size(); j++) {
          if (!"text".equals(Json.text(content.get(j), "type"))) {
            u.field(at + ".content[" + j + "].type", content.get(j).get("type"),
                "Anthropic's system prompt holds text only");
          }
        }
        parts.add(textOf(content));
      }
    }
    if (!parts.isEmpty()) {
      out.put("system", String.join("\n\n", parts));
    }
  }

  private static ArrayNode messages(JsonNode messages, Unsupported u) {
    ArrayNode out = Json.array();
    for (int i = 0; i < messages.size(); i++) {
      JsonNode m = messages.get(i);
      String at = "messages[" + i + "]";
      String role = Json.text(m, "role");
      if (role == null || role.equals("system") || role.equals("developer")) {
        continue;
      }
      switch (role) {
        case "assistant" -> {
          name(m, at, u);
          append(out, "assistant", assistantBlocks(m, at, u));
        }
        case "tool" -> append(out, "user", List.of(toolResult(m, at, u)));
        case "function" -> u.field(at + ".role", m.get("role"), "function messages carry no "
            + "call id to answer; send tool messages with tool_call_id (and tools)");
        default -> {
          name(m, at, u);
          append(out, "user", contentBlocks(m.get("content"), at, u));
        }
      }
    }
    return out;
  }

  /** A participant name has no place in an Anthropic message. */
  private static void name(JsonNode m, String at, Unsupported u) {
    if (!Unsupported.isDefault(m.get("name"))) {
      u.field(at + ".name", m.get("name"), "Anthropic messages carry no participant names");
    }
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

  private static List<ObjectNode> assistantBlocks(JsonNode m, String at, Unsupported u) {
    for (String field : List.of("refusal", "audio", "function_call")) {
      if (!Unsupported.isDefault(m.get(field))) {
        u.field(at + "." + field, m.get(field), "an Anthropic assistant turn holds only text "
            + "and tool calls");
      }
    }
    List<ObjectNode> blocks = new ArrayList<>(contentBlocks(m.get("content"), at, u));
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

  private static ObjectNode toolResult(JsonNode m, String at, Unsupported u) {
    JsonNode content = m.get("content");
    for (int j = 0; content != null && content.isArray() && j < content.size(); j++) {
      if (!"text".equals(Json.text(content.get(j), "type"))) {
        u.field(at + ".content[" + j + "].type", content.get(j).get("type"),
            "Keel translates tool results as text only");
      }
    }
    ObjectNode b = Json.object().put("type", "tool_result");
    b.put("tool_use_id", Json.text(m, "tool_call_id"));
    b.put("content", textOf(m.get("content")));
    return b;
  }

  private static List<ObjectNode> contentBlocks(JsonNode content, String at, Unsupported u) {
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
    for (int j = 0; j < content.size(); j++) {
      JsonNode part = content.get(j);
      String type = Json.text(part, "type");
      String partAt = at + ".content[" + j + "]";
      if ("text".equals(type)) {
        blocks.add(Json.object().put("type", "text").put("text", Json.text(part, "text")));
      } else if ("image_url".equals(type)) {
        JsonNode detail = part.path("image_url").get("detail");
        if (Json.present(detail) && !"auto".equals(detail.asText())) {
          u.field(partAt + ".image_url.detail", detail, "Anthropic has no image detail "
              + "setting; send \"auto\" or leave it out");
        }
        blocks.add(image(part.path("image_url")));
      } else {
        u.field(partAt + ".type", part.get("type"), switch (String.valueOf(type)) {
          case "input_audio" -> "Anthropic models take no audio input";
          case "file" -> "Keel does not translate file parts to Anthropic documents";
          default -> "Keel does not translate this content part to the Anthropic Messages API";
        });
      }
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

  private static void tools(ObjectNode req, ObjectNode out, Unsupported u) {
    ArrayNode tools = Json.array();
    JsonNode declared = req.path("tools");
    for (int i = 0; i < declared.size(); i++) {
      JsonNode fn = declared.get(i).path("function");
      if (fn.isObject()) {
        ObjectNode t = tool(Json.text(fn, "name"), Json.text(fn, "description"),
            fn.get("parameters"));
        if (fn.path("strict").isBoolean()) {
          t.set("strict", fn.get("strict")); // Anthropic's strict tool use: the same promise
        }
        tools.add(t);
      }
    }
    ObjectNode choice = toolChoice(req.get("tool_choice"));
    JsonNode format = req.get("response_format");
    String formatType = Json.text(format, "type");
    String structured = structuredOutputTool(req);
    if (structured != null) {
      // Anthropic has no response_format: a forced tool whose input schema is the requested
      // schema (any object for json_object) makes the model answer with a conforming object,
      // which the response translator turns back into message content text.
      JsonNode schema = req.path("response_format").path("json_schema");
      String description = JSON_OBJECT_TOOL.equals(structured)
          ? "Give your whole answer as this tool's input: one JSON object."
          : Json.text(schema, "description");
      tools.add(tool(structured, description, schema.get("schema")));
      choice = Json.object().put("type", "tool").put("name", structured);
    } else if (Json.present(format) && !"text".equals(formatType)) {
      u.field("response_format.type", format.get("type"), "Keel translates response_format "
          + "types text, json_object and json_schema to Anthropic");
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
