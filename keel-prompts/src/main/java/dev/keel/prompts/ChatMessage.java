package dev.keel.prompts;

/**
 * One message of a chat prompt; {@code content} is a template.
 *
 * @param role {@code system}, {@code user}, {@code assistant} or any role the model knows
 * @param content the text, with {@code {{variables}}}
 */
public record ChatMessage(String role, String content) {

  public ChatMessage {
    if (role == null || role.isBlank()) {
      throw PromptException.invalid("chat message role must not be blank: " + role, "prompt");
    }
    if (content == null) {
      throw PromptException.invalid("chat message content must not be null (role " + role
          + ")", "prompt");
    }
  }
}
