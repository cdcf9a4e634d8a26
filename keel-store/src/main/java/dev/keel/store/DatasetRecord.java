package dev.keel.store;

import java.time.Instant;
import java.util.Objects;

/**
 * A stored dataset. JSON fields are raw JSON text or null.
 *
 * @param version the newest version; 0 until the first item change
 */
public record DatasetRecord(String id, String name, String description, String metadata,
    String inputSchema, String expectedOutputSchema, int version, Instant createdAt,
    Instant updatedAt) {

  public DatasetRecord {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(name, "name");
    if (version < 0) {
      throw new IllegalArgumentException("version must not be negative: " + version);
    }
  }
}
