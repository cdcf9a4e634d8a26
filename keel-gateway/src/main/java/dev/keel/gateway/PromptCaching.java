package dev.keel.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keel.gateway.config.PromptCachingConfig;

/**
 * The {@code prompt_caching: {anthropic: auto}} policy: marks the stable prefix of an Anthropic
 * request with {@code cache_control} so the provider serves it from its prompt cache on the next
 * call, at a tenth of the input price. Anthropic caches the prefix up to each mark in the order
 * tools, system, messages; Keel places at most two marks:
 *
 * <ul>
 *   <li>the end of the system prompt (or, without one, the last tool), when tools and system
 *       together reach {@code min_tokens};
 *   <li>the end of the turn before the last user message, when the conversation up to it
 *       reaches {@code min_tokens}, so a long chat re-reads its history from the cache.
 * </ul>
 *
 * <p>A request that already carries a {@code cache_control} anywhere is left as the client made
 * it. Sizes are estimated at four characters of JSON per token: the threshold only has to tell
 * a long prefix from a short one, and a mark below the provider's minimum is simply ignored.
 */
final class PromptCaching {

  private static final int CHARS_PER_TOKEN = 4;

  private PromptCaching() {}

  /** Marks {@code upstream} (an Anthropic Messages body) in place; returns the marks placed. */
  static int mark(ObjectNode upstream, PromptCachingConfig config) {
    if (!config.anthropicAuto() || upstream.toString().contains("\"cache_control\"")) {
      return 0;
    }
    long min = (long) config.minTokens() * CHARS_PER_TOKEN;
    long prefix = size(upstream.get("tools")) + size(upstream.get("system"));
    int marks = 0;
    if (prefix >= min && markPrefix(upstream)) {
      marks++;
    }
    JsonNode messages = upstream.get("messages");
    int lastUser = lastUserTurn(messages);
    if (lastUser > 0) {
      for (int i = 0; i < lastUser; i++) {
        prefix += size(messages.get(i));
      }
      if (prefix >= min && markTurn((ObjectNode) messages.get(lastUser - 1))) {
        marks++;
      }
    }
    return marks;
  }

  private static boolean markPrefix(ObjectNode upstream) {
    JsonNode system = upstream.get("system");
    if (system != null && system.isTextual() && !system.asText().isBlank()) {
      ArrayNode blocks = upstream.putArray("system");
      blocks.addObject().put("type", "text").put("text", system.asText())
          .set("cache_control", ephemeral());
      return true;
    }
    if (system != null && system.isArray() && !system.isEmpty()
        && system.get(system.size() - 1).isObject()) {
      ((ObjectNode) system.get(system.size() - 1)).set("cache_control", ephemeral());
      return true;
    }
    JsonNode tools = upstream.get("tools");
    if (tools != null && tools.isArray() && !tools.isEmpty()
        && tools.get(tools.size() - 1).isObject()) {
      ((ObjectNode) tools.get(tools.size() - 1)).set("cache_control", ephemeral());
      return true;
    }
    return false;
  }

  private static boolean markTurn(ObjectNode turn) {
    JsonNode content = turn.get("content");
    if (content != null && content.isTextual()) {
      ArrayNode blocks = turn.putArray("content");
      blocks.addObject().put("type", "text").put("text", content.asText())
          .set("cache_control", ephemeral());
      return true;
    }
    if (content != null && content.isArray() && !content.isEmpty()
        && content.get(content.size() - 1).isObject()) {
      ((ObjectNode) content.get(content.size() - 1)).set("cache_control", ephemeral());
      return true;
    }
    return false;
  }

  /** The index of the last user turn, or -1. */
  private static int lastUserTurn(JsonNode messages) {
    if (messages == null || !messages.isArray()) {
      return -1;
    }
    for (int i = messages.size() - 1; i >= 0; i--) {
      if ("user".equals(messages.get(i).path("role").asText())) {
        return i;
      }
    }
    return -1;
  }

  private static long size(JsonNode n) {
    return n == null || n.isNull() ? 0 : n.toString().length();
  }

  private static ObjectNode ephemeral() {
    return JsonNodeFactory.instance.objectNode().put("type", "ephemeral");
  }
}
