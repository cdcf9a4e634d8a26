package dev.keel.store;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One item as it is at some dataset version. JSON fields are raw JSON text or null.
 *
 * @param version the dataset version this revision of the item was made at
 * @param createdAt when the item was first added
 * @param updatedAt when this revision was made
 */
public record DatasetItemRecord(String id, String datasetId, String datasetName, String status,
    String input, String expectedOutput, List<String> contexts, String metadata,
    String sourceTraceId, String sourceObservationId, int version, Instant createdAt,
    Instant updatedAt) {

  public DatasetItemRecord {
    Objects.requireNonNull(id, "id");
    contexts = List.copyOf(contexts);
  }
}
