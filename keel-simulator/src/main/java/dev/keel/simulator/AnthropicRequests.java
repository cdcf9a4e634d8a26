package dev.keel.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keel.simulator.ChatRequest.ResponseFormat;
import dev.keel.simulator.ChatRequest.ToolChoice;
import dev.keel.simulator.ChatRequest.ToolChoice.Mode;
import dev.keel.simulator.ChatRequest.ToolDef;
import java.util.ArrayList;
import java.util.List;

/** Reads Anthropic messages request bodies. */
final class AnthropicRequests {

  private AnthropicRequests() {}

  static ChatRequest parse(JsonNode body, String apiKey) {
    RequestTypes.anthropic(body);
    String model = body.path("model").asText("");
    if (model.isEmpty()) {
      throw new InvalidDirectiveException("model: Field required");
    }
    if (!body.path("max_tokens").canConvertToInt() || body.path("max_tokens").asInt() < 1) {
      throw new InvalidDirectiveException("max_tokens: Field required (a positive integer)");
    }
    JsonNode messages = body.path("messages");
    if (!messages.isArray() || messages.isEmpty()) {
      throw new InvalidDirectiveException("messages: at least one message is required");
    }
    MessageText text = new MessageText();
    text.system(blocksText(body.path("system")));
    int toolTurns = readMessages(messages, text);
    return new ChatRequest(model, apiKey, body.path("stream").asBoolean(false), false,
        text.directives(), text.prompt(), text.lastUser(), tools(body.path("tools")),
        toolChoice(body.path("tool_choice")), ResponseFormat.TEXT, toolTurns, false, 0);
  }

  private static int readMessages(JsonNode messages, MessageText text) {
    // Tool results travel in user messages, so the "last user message" is the last one
    // carrying text a person wrote, not the last one with role user.
    int lastUser = -1;
    for (int i = 0; i < messages.size(); i++) {
      JsonNode m = messages.get(i);
      if ("user".equals(m.path("role").asText()) && !blocksText(m.path("content")).isEmpty()) {
        lastUser = i;
      }
    }
    int toolTurns = 0;
    for (int i = 0; i < messages.size(); i++) {
      JsonNode m = messages.get(i);
      String role = m.path("role").asText("");
      if (!role.equals("user") && !role.equals("assistant")) {
        throw new InvalidDirectiveException("messages." + i
            + ".role: Input should be 'user' or 'assistant'");
      }
      if (i == lastUser) {
        text.user(blocksText(m.path("content")));
      } else {
        text.other(blocksText(m.path("content")));
      }
      toolTurns += readToolBlocks(m, text);
    }
    return toolTurns;
  }

  /** Counts one turn for an assistant message that used tools; adds tool text to the prompt. */
  private static int readToolBlocks(JsonNode message, MessageText text) {
    boolean usedTools = false;
    for (JsonNode block : message.path("content")) {
      switch (block.path("type").asText()) {
        case "tool_use" -> {
          usedTools = true;
          text.other(block.path("name").asText() + block.path("input").toString());
        }
        case "tool_result" -> text.other(blocksText(block.path("content")));
        default -> { }
      }
    }
    return usedTools && "assistant".equals(message.path("role").asText()) ? 1 : 0;
  }

  /** Text of a string or of the text blocks in a block array. */
  static String blocksText(JsonNode content) {
    if (content.isTextual()) {
      return content.asText();
    }
    StringBuilder sb = new StringBuilder();
    for (JsonNode block : content) {
      if ("text".equals(block.path("type").asText())) {
        if (!sb.isEmpty()) {
          sb.append('\n');
        }
        sb.append(block.path("text").asText());
      }
    }
    return sb.toString();
  }

  private static List<ToolDef> tools(JsonNode tools) {
    List<ToolDef> out = new ArrayList<>();
    for (JsonNode t : tools) {
      if (t.has("name")) {
        out.add(new ToolDef(t.get("name").asText(),
            t.has("input_schema") ? t.get("input_schema") : null));
      }
    }
    return out;
  }

  private static ToolChoice toolChoice(JsonNode choice) {
    return switch (choice.path("type").asText("auto")) {
      case "none" -> new ToolChoice(Mode.NONE, null);
      case "any" -> new ToolChoice(Mode.ANY, null);
      case "tool" -> new ToolChoice(Mode.NAMED, choice.path("name").asText());
      default -> ToolChoice.AUTO;
    };
  }
}
