package dev.keel.sdk;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A text prompt version.
 *
 * @param name the prompt's name
 * @param version its version (0 for a fallback)
 * @param prompt the template, with {@code {{variable}}} placeholders
 * @param config the version's config
 * @param labels the labels on this version
 * @param tags the prompt's tags
 * @param isFallback whether this is the application's fallback rather than Keel's version
 */
public record TextPrompt(String name, int version, String prompt, Map<String, Object> config,
    List<String> labels, List<String> tags, boolean isFallback) implements Prompt {

  /** Validates and copies. */
  public TextPrompt {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(prompt, "prompt");
    config = config == null ? Map.of() : Templates.copy(config);
    labels = labels == null ? List.of() : List.copyOf(labels);
    tags = tags == null ? List.of() : List.copyOf(tags);
  }

  /** A fallback to serve when Keel is unreachable and nothing is cached. */
  public static TextPrompt fallback(String name, String template) {
    return new TextPrompt(name, 0, template, Map.of(), List.of(), List.of(), true);
  }

  /**
   * The template with each {@code {{name}}} replaced by its variable: strings as they are,
   * other values as JSON. Placeholders without a variable stay as written.
   */
  public String compile(Map<String, ?> variables) {
    return Templates.render(prompt, variables);
  }
}
