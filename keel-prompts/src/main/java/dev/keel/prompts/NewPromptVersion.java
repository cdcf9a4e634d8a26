package dev.keel.prompts;

import java.util.List;

/**
 * A version to save. Validated here, so a bad name, type, template, config or label is a 400
 * before anything is stored.
 *
 * @param name letters, digits and {@code - _ . /}, no {@code ..}
 * @param type {@code text} (the default when null) or {@code chat}
 * @param text the template of a text prompt; null for chat
 * @param messages the messages of a chat prompt; null for text
 * @param configJson a JSON object (model, temperature, max tokens, response schema...) or null
 * @param labels labels to put on the new version besides {@code latest}
 * @param tags the prompt's tags, or null to keep the ones it has
 * @param commitMessage why it changed, or null
 * @param author who saved it, or null
 */
public record NewPromptVersion(String name, String type, String text,
    List<ChatMessage> messages, String configJson, List<String> labels, List<String> tags,
    String commitMessage, String author) {

  public NewPromptVersion {
    PromptRules.checkName(name);
    type = type == null ? "text" : type;
    if (type.equals("text")) {
      if (text == null || messages != null) {
        throw PromptException.invalid("a text prompt needs 'prompt' as a string", "prompt");
      }
      Template.parse(text, "prompt '" + name + "'");
    } else if (type.equals("chat")) {
      if (messages == null || text != null) {
        throw PromptException.invalid("a chat prompt needs 'prompt' as a list of messages",
            "prompt");
      }
      messages = List.copyOf(messages);
      for (int i = 0; i < messages.size(); i++) {
        Template.parse(messages.get(i).content(), "message " + (i + 1) + " of prompt '"
            + name + "'");
      }
    } else {
      throw PromptException.invalid("type must be text or chat: " + type, "type");
    }
    configJson = PromptContent.canonicalConfig(configJson);
    labels = PromptRules.checkLabels(labels);
    if (tags != null) {
      tags = List.copyOf(tags);
    }
    PromptRules.checkCommitMessage(commitMessage);
  }

  /** A text version with no extra labels or tags. */
  public static NewPromptVersion text(String name, String text, String configJson,
      String commitMessage, String author) {
    return new NewPromptVersion(name, "text", text, null, configJson, List.of(), null,
        commitMessage, author);
  }

  /** A chat version with no extra labels or tags. */
  public static NewPromptVersion chat(String name, List<ChatMessage> messages,
      String configJson, String commitMessage, String author) {
    return new NewPromptVersion(name, "chat", null, messages, configJson, List.of(), null,
        commitMessage, author);
  }

  /** The hash {@link PromptVersion#contentHash()} will have. */
  public String contentHash() {
    return PromptContent.hash(type, text, messages, configJson);
  }
}
