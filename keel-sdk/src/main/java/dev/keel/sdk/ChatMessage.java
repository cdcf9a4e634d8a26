package dev.keel.sdk;

/**
 * One message of a chat prompt, or a placeholder for a list of messages supplied at compile
 * time (a conversation history, for example).
 *
 * @param role {@code system}, {@code user}, {@code assistant}...; null for a placeholder
 * @param content the message text; null for a placeholder
 * @param placeholder the placeholder's name, or null for a message
 */
public record ChatMessage(String role, String content, String placeholder) {

  /** Validates that this is either a message or a placeholder. */
  public ChatMessage {
    if (placeholder == null && (role == null || content == null)) {
      throw new IllegalArgumentException(
          "a chat message needs a role and content: " + role + ", " + content);
    }
  }

  /** A message. */
  public static ChatMessage of(String role, String content) {
    return new ChatMessage(role, content, null);
  }

  /** A placeholder filled at compile time by the variable of the same name. */
  public static ChatMessage placeholder(String name) {
    return new ChatMessage(null, null, name);
  }

  /** Whether this is a placeholder rather than a message. */
  public boolean isPlaceholder() {
    return placeholder != null;
  }
}
