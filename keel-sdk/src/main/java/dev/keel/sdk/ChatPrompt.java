package dev.keel.sdk;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A chat prompt version: a list of messages and placeholders.
 *
 * @param name the prompt's name
 * @param version its version (0 for a fallback)
 * @param messages the messages, with {@code {{variable}}} placeholders in their content
 * @param config the version's config
 * @param labels the labels on this version
 * @param tags the prompt's tags
 * @param isFallback whether this is the application's fallback rather than Keel's version
 */
public record ChatPrompt(String name, int version, List<ChatMessage> messages,
    Map<String, Object> config, List<String> labels, List<String> tags, boolean isFallback)
    implements Prompt {

  /** Validates and copies. */
  public ChatPrompt {
    Objects.requireNonNull(name, "name");
    messages = List.copyOf(Objects.requireNonNull(messages, "messages"));
    config = config == null ? Map.of() : Templates.copy(config);
    labels = labels == null ? List.of() : List.copyOf(labels);
    tags = tags == null ? List.of() : List.copyOf(tags);
  }

  /** A fallback to serve when Keel is unreachable and nothing is cached. */
  public static ChatPrompt fallback(String name, List<ChatMessage> messages) {
    return new ChatPrompt(name, 0, messages, Map.of(), List.of(), List.of(), true);
  }

  /**
   * The messages with variables filled in. A placeholder is replaced by the messages in its
   * variable (a list of {@link ChatMessage} or of maps with {@code role} and {@code content});
   * one without a variable stays in the list.
   */
  public List<ChatMessage> compile(Map<String, ?> variables) {
    List<ChatMessage> out = new ArrayList<>();
    for (ChatMessage m : messages) {
      Object fill = m.isPlaceholder() && variables != null ? variables.get(m.placeholder())
          : null;
      if (fill instanceof List<?> list) {
        list.forEach(item -> out.add(Templates.message(item)));
      } else if (m.isPlaceholder()) {
        out.add(m);
      } else {
        out.add(ChatMessage.of(m.role(), Templates.render(m.content(), variables)));
      }
    }
    return List.copyOf(out);
  }
}
