package dev.keel.gateway.routing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keel.gateway.config.RoutingConfig;
import java.util.Locale;

/**
 * What a cost_aware route reads from a request to call it easy or hard: its size, its tools,
 * its structured output, its length in turns and the words of its last user message. Cheap
 * features on purpose: the decision is made on every request before any provider is called.
 *
 * @param promptTokens estimated at four characters of messages, system and tools per token
 */
public record Difficulty(long promptTokens, int messages, boolean tools, boolean schema,
    String lastUserText) {

  /** For requests whose difficulty does not matter (every strategy but cost_aware). */
  public static final Difficulty UNKNOWN = new Difficulty(0, 0, false, false, "");

  /** The features of an OpenAI or Anthropic chat request. */
  public static Difficulty of(ObjectNode body) {
    JsonNode messages = body.path("messages");
    long chars = messages.toString().length() + body.path("system").toString().length()
        + body.path("tools").toString().length();
    boolean tools = body.path("tools").isArray() && !body.path("tools").isEmpty();
    boolean schema = "json_schema".equals(body.path("response_format").path("type").asText());
    return new Difficulty(chars / 4, messages.size(), tools, schema, lastUserText(messages));
  }

  /** Hard: over a size or turn limit, with tools or a schema, or naming a hard keyword. */
  public boolean hard(RoutingConfig.CostAware rule) {
    if (tools || schema || promptTokens > rule.maxEasyPromptTokens()
        || messages > rule.maxEasyMessages()) {
      return true;
    }
    String text = lastUserText.toLowerCase(Locale.ROOT);
    return rule.hardKeywords().stream().anyMatch(text::contains);
  }

  private static String lastUserText(JsonNode messages) {
    for (int i = messages.size() - 1; i >= 0; i--) {
      JsonNode m = messages.get(i);
      if ("user".equals(m.path("role").asText())) {
        JsonNode c = m.path("content");
        if (c.isTextual()) {
          return c.asText();
        }
        var sb = new StringBuilder();
        c.forEach(part -> sb.append(part.path("text").asText()).append(' '));
        return sb.toString();
      }
    }
    return "";
  }
}
