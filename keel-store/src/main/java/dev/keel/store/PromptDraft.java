package dev.keel.store;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A prompt version to store; the store gives it its number.
 *
 * @param name the prompt's name, already validated by the caller
 * @param type {@code text} or {@code chat}
 * @param body the template (text) or a JSON array of messages (chat)
 * @param configJson a JSON object
 * @param tags the prompt's new tags, or null to keep the ones it has
 * @param commitMessage why it changed, or null
 * @param author who saved it, or null
 * @param contentHash the hash of type, body and config
 * @param createdAt when it was saved
 */
public record PromptDraft(String name, String type, String body, String configJson,
    List<String> tags, String commitMessage, String author, String contentHash,
    Instant createdAt) {

  public PromptDraft {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(body, "body");
    Objects.requireNonNull(configJson, "configJson");
    Objects.requireNonNull(contentHash, "contentHash");
    Objects.requireNonNull(createdAt, "createdAt");
    tags = tags == null ? null : List.copyOf(tags);
  }
}
