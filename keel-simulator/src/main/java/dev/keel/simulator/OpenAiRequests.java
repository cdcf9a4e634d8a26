package dev.keel.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keel.simulator.ChatRequest.ResponseFormat;
import dev.keel.simulator.ChatRequest.ToolChoice;
import dev.keel.simulator.ChatRequest.ToolChoice.Mode;
import dev.keel.simulator.ChatRequest.ToolDef;
import java.util.ArrayList;
import java.util.List;

/** Reads OpenAI chat-completions request bodies. */
final class OpenAiRequests {

  private OpenAiRequests() {}

  static ChatRequest parse(JsonNode body, String apiKey) {
    RequestTypes.openAi(body);
    String model = body.path("model").asText("");
    if (model.isEmpty()) {
      throw new InvalidDirectiveException("you must provide a model parameter");
    }
    JsonNode messages = body.path("messages");
    if (!messages.isArray() || messages.isEmpty()) {
      throw new InvalidDirectiveException("messages must be a non-empty array");
    }
    MessageText text = new MessageText();
    int toolTurns = readMessages(messages, text);
    return new ChatRequest(model, apiKey, body.path("stream").asBoolean(false),
        body.path("stream_options").path("include_usage").asBoolean(false),
        text.directives(), text.prompt(), text.lastUser(), tools(body.path("tools")),
        toolChoice(body.path("tool_choice")), responseFormat(body.path("response_format")),
        toolTurns, body.path("logprobs").asBoolean(false), body.path("top_logprobs").asInt(0));
  }

  private static int readMessages(JsonNode messages, MessageText text) {
    int lastUser = -1;
    for (int i = 0; i < messages.size(); i++) {
      if ("user".equals(messages.get(i).path("role").asText())) {
        lastUser = i;
      }
    }
    int toolTurns = 0;
    for (int i = 0; i < messages.size(); i++) {
      JsonNode m = messages.get(i);
      String role = m.path("role").asText("");
      String content = content(m.path("content"));
      switch (role) {
        case "system", "developer" -> text.system(content);
        case "user" -> {
          if (i == lastUser) {
            text.user(content);
          } else {
            text.other(content);
          }
        }
        case "assistant", "tool", "function" -> text.other(content);
        default -> throw new InvalidDirectiveException("messages[" + i
            + "].role must be one of system, developer, user, assistant, tool: '" + role + "'");
      }
      if (m.path("tool_calls").isArray() && !m.path("tool_calls").isEmpty()) {
        toolTurns++;
        m.path("tool_calls").forEach(c -> text.other(c.path("function").path("name").asText()
            + c.path("function").path("arguments").asText()));
      }
    }
    return toolTurns;
  }

  private static String content(JsonNode content) {
    if (content.isTextual()) {
      return content.asText();
    }
    if (!content.isArray()) {
      return "";
    }
    StringBuilder sb = new StringBuilder();
    for (JsonNode part : content) {
      if (part.has("text")) {
        if (!sb.isEmpty()) {
          sb.append('\n');
        }
        sb.append(part.path("text").asText());
      }
    }
    return sb.toString();
  }

  private static List<ToolDef> tools(JsonNode tools) {
    List<ToolDef> out = new ArrayList<>();
    for (JsonNode t : tools) {
      JsonNode f = t.path("function");
      if (f.has("name")) {
        out.add(new ToolDef(f.get("name").asText(), f.has("parameters")
            ? f.get("parameters") : null));
      }
    }
    return out;
  }

  private static ToolChoice toolChoice(JsonNode choice) {
    if (choice.isTextual()) {
      return switch (choice.asText()) {
        case "none" -> new ToolChoice(Mode.NONE, null);
        case "required" -> new ToolChoice(Mode.ANY, null);
        default -> ToolChoice.AUTO;
      };
    }
    String name = choice.path("function").path("name").asText("");
    return name.isEmpty() ? ToolChoice.AUTO : new ToolChoice(Mode.NAMED, name);
  }

  private static ResponseFormat responseFormat(JsonNode format) {
    String type = format.path("type").asText("text");
    JsonNode schema = format.path("json_schema").path("schema");
    return new ResponseFormat(type, schema.isObject() ? schema : null);
  }
}
