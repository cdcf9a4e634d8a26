package dev.keel.core.tokens;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Estimates the prompt tokens of a whole chat request when a provider reports no usage.
 *
 * <p>Text is counted with {@link TokenCounter}; the chat template's framing is added as a fixed
 * overhead, following OpenAI's published recipe for its chat models: 3 tokens per message, 1
 * more when a message carries a {@code name}, and 3 that prime the reply. Claude's template is
 * not public, so Anthropic bodies get the same overhead. Images, audio and files are not
 * counted; requests carrying them are under-estimated. Counts are estimates and callers mark
 * them so ({@code usage_estimated}).
 */
public final class TokenEstimator {

  static final int PER_MESSAGE = 3;
  static final int PER_NAME = 1;
  static final int REPLY_PRIMING = 3;

  private TokenEstimator() {}

  /**
   * Prompt tokens of an OpenAI-style {@code messages} array: role, content strings, text
   * content parts, names, and tool calls' function names and arguments.
   */
  public static long countMessages(String model, JsonNode messages) {
    if (messages == null || !messages.isArray()) {
      return 0;
    }
    long tokens = REPLY_PRIMING;
    for (JsonNode message : messages) {
      tokens += PER_MESSAGE + openAiMessage(model, message);
    }
    return tokens;
  }

  /**
   * Prompt tokens of an Anthropic Messages body: the {@code system} prompt (a string or text
   * blocks) and the {@code messages} array, with text, tool use and tool result blocks.
   */
  public static long countAnthropic(String model, JsonNode system, JsonNode messages) {
    long tokens = REPLY_PRIMING;
    if (system != null && !system.isNull() && !system.isMissingNode()) {
      tokens += PER_MESSAGE + anthropicContent(model, system);
    }
    if (messages != null && messages.isArray()) {
      for (JsonNode message : messages) {
        tokens += PER_MESSAGE + text(model, message.get("role"))
            + anthropicContent(model, message.get("content"));
      }
    }
    return tokens;
  }

  private static long openAiMessage(String model, JsonNode message) {
    long tokens = text(model, message.get("role")) + openAiContent(model, message.get("content"));
    JsonNode name = message.get("name");
    if (name != null && name.isTextual()) {
      tokens += PER_NAME + text(model, name);
    }
    JsonNode toolCalls = message.get("tool_calls");
    if (toolCalls != null && toolCalls.isArray()) {
      for (JsonNode call : toolCalls) {
        JsonNode function = call.path("function");
        tokens += text(model, function.get("name")) + text(model, function.get("arguments"));
      }
    }
    return tokens + text(model, message.get("tool_call_id"));
  }

  private static long openAiContent(String model, JsonNode content) {
    if (content == null || !content.isArray()) {
      return text(model, content);
    }
    long tokens = 0;
    for (JsonNode part : content) {
      tokens += text(model, part.get("text"));
    }
    return tokens;
  }

  private static long anthropicContent(String model, JsonNode content) {
    if (content == null || !content.isArray()) {
      return text(model, content);
    }
    long tokens = 0;
    for (JsonNode block : content) {
      tokens += anthropicBlock(model, block);
    }
    return tokens;
  }

  private static long anthropicBlock(String model, JsonNode block) {
    String type = block.path("type").asText("");
    return switch (type) {
      case "tool_use" -> text(model, block.get("name")) + json(model, block.get("input"));
      case "tool_result" -> anthropicContent(model, block.get("content"));
      default -> text(model, block.get("text"));
    };
  }

  private static long text(String model, JsonNode node) {
    if (node == null || !node.isTextual()) {
      return 0;
    }
    return TokenCounter.count(model, node.textValue());
  }

  private static long json(String model, JsonNode node) {
    if (node == null || node.isNull() || node.isMissingNode()) {
      return 0;
    }
    return TokenCounter.count(model, node.toString());
  }
}
