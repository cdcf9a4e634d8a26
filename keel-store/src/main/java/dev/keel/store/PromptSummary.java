package dev.keel.store;

import java.time.Instant;
import java.util.List;

/**
 * A prompt name in a list: its versions, every label on any of them, tags, and the config of
 * its newest version.
 */
public record PromptSummary(String name, String type, List<Integer> versions,
    List<String> labels, List<String> tags, Instant lastUpdatedAt, String lastConfigJson) {

  public PromptSummary {
    versions = List.copyOf(versions);
    labels = List.copyOf(labels);
    tags = List.copyOf(tags);
  }
}
