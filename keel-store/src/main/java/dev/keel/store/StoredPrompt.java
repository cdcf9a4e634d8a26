package dev.keel.store;

import java.time.Instant;
import java.util.List;

/**
 * One stored prompt version.
 *
 * @param name the prompt's name
 * @param version 1 for the first version, then consecutive
 * @param type {@code text} or {@code chat}
 * @param body the template (text) or a JSON array of messages (chat)
 * @param configJson a JSON object, {@code {}} when none was given
 * @param labels the labels on this version now
 * @param tags the prompt's tags (they belong to the name, not the version)
 * @param commitMessage why it changed, or null
 * @param author who saved it, or null
 * @param createdAt when it was saved
 * @param contentHash the hash of type, body and config, computed by the caller
 */
public record StoredPrompt(String name, int version, String type, String body, String configJson,
    List<String> labels, List<String> tags, String commitMessage, String author,
    Instant createdAt, String contentHash) {

  public StoredPrompt {
    labels = List.copyOf(labels);
    tags = List.copyOf(tags);
    if (version < 1) {
      throw new IllegalArgumentException("version must be positive: " + version);
    }
  }
}
