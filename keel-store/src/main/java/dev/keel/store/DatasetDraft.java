package dev.keel.store;

import java.util.Objects;

/**
 * A dataset to create or update by name. JSON fields are raw JSON text; a null field leaves
 * the stored value as it is.
 */
public record DatasetDraft(String name, String description, String metadata, String inputSchema,
    String expectedOutputSchema) {

  public DatasetDraft {
    Objects.requireNonNull(name, "name");
    if (name.isBlank() || name.length() > 255) {
      throw new IllegalArgumentException("name must be 1 to 255 characters, got "
          + name.length());
    }
  }
}
