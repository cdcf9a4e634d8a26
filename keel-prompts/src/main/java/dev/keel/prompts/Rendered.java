package dev.keel.prompts;

import java.util.List;

/**
 * A prompt with its variables filled in: {@code text} for a text prompt, {@code messages} for
 * a chat prompt (the other is null).
 */
public record Rendered(String name, int version, String type, String text,
    List<ChatMessage> messages, String configJson) {

  public Rendered {
    messages = messages == null ? null : List.copyOf(messages);
  }
}
