package dev.keel.prompts;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One immutable version of a prompt, with the labels it carries now.
 *
 * @param name the prompt's name
 * @param version 1, 2, 3... per name
 * @param type {@code text} or {@code chat}
 * @param text the template of a text prompt; null for chat
 * @param messages the messages of a chat prompt; null for text
 * @param configJson a JSON object with sorted keys, {@code {}} when none
 * @param labels the labels on this version now
 * @param commitMessage why it changed, or null
 * @param author who saved it, or null
 * @param createdAt when it was saved
 * @param contentHash {@code sha256:...} of type, template and config
 */
public record PromptVersion(String name, int version, String type, String text,
    List<ChatMessage> messages, String configJson, List<String> labels, String commitMessage,
    String author, Instant createdAt, String contentHash) {

  public PromptVersion {
    messages = messages == null ? null : List.copyOf(messages);
    labels = List.copyOf(labels);
    if (version < 1) {
      throw new IllegalArgumentException("version must be positive: " + version);
    }
  }

  /** The variables its templates use, in order of first use. */
  public Set<String> variables() {
    var names = new LinkedHashSet<String>();
    templates().forEach(t -> names.addAll(t.variables()));
    return names;
  }

  /**
   * Fills in the variables. Variables the templates do not use are ignored; a variable given
   * as null renders as empty text.
   *
   * @throws PromptException 400 naming every variable that was not given
   */
  public Rendered render(Map<String, ?> variables) {
    List<String> missing = variables().stream().filter(v -> !variables.containsKey(v))
        .toList();
    if (!missing.isEmpty()) {
      throw PromptException.missingVariables(name, missing);
    }
    if (type.equals("chat")) {
      var out = new ArrayList<ChatMessage>();
      for (ChatMessage m : messages) {
        out.add(new ChatMessage(m.role(), parse(m.content()).render(variables)));
      }
      return new Rendered(name, version, type, null, out, configJson);
    }
    return new Rendered(name, version, type, parse(text).render(variables), null, configJson);
  }

  private List<Template> templates() {
    if (type.equals("chat")) {
      return messages.stream().map(m -> parse(m.content())).toList();
    }
    return List.of(parse(text));
  }

  private Template parse(String template) {
    return Template.parse(template, "prompt '" + name + "' version " + version);
  }
}
