package dev.keel.prompts;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One prompt as a file in a folder kept in Git (format in docs/prompts.md). Files own content:
 * type, template and config. {@code labels} and {@code version} are what {@code keel prompt
 * pull} found in the registry, written for review; sync does not read them back.
 *
 * @param name the prompt's name: the file's path in the folder without {@code .md}
 * @param type {@code text} or {@code chat}
 * @param text the template of a text prompt; null for chat
 * @param messages the messages of a chat prompt; null for text
 * @param configJson a JSON object with sorted keys
 * @param labels label to version, as pulled; empty when not pulled
 * @param version the version pulled, or null
 */
public record PromptFile(String name, String type, String text, List<ChatMessage> messages,
    String configJson, Map<String, Integer> labels, Integer version) {

  public PromptFile {
    messages = messages == null ? null : List.copyOf(messages);
    configJson = PromptContent.canonicalConfig(configJson);
    labels = labels == null ? Map.of() : new TreeMap<>(labels);
  }

  /** The file of a registry version, with where each label of the prompt points. */
  public static PromptFile of(PromptVersion v, Map<String, Integer> labels) {
    return new PromptFile(v.name(), v.type(), v.text(), v.messages(), v.configJson(), labels,
        v.version());
  }

  /** The version to save for this file's content; validates name and templates. */
  public NewPromptVersion toNewVersion(List<String> labels, String commitMessage,
      String author) {
    return new NewPromptVersion(name, type, text, messages, configJson, labels, null,
        commitMessage, author);
  }

  /** The hash the registry's version has when it holds this file's content. */
  public String contentHash() {
    return PromptContent.hash(type, text, messages, configJson);
  }
}
