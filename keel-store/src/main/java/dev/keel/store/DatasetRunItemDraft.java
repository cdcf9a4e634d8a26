package dev.keel.store;

import java.time.Instant;
import java.util.Objects;

/**
 * A run item to create; the run is created when it does not exist, and its description and
 * metadata are replaced when given.
 *
 * @param datasetVersion the dataset version the run used; null for the current one
 * @param createdAt when the item ran; null for now
 */
public record DatasetRunItemDraft(String runName, String runDescription, String metadata,
    String datasetItemId, String traceId, String observationId, Integer datasetVersion,
    Instant createdAt) {

  public DatasetRunItemDraft {
    require(runName, "runName");
    require(datasetItemId, "datasetItemId");
    require(traceId, "traceId");
  }

  private static void require(String value, String name) {
    Objects.requireNonNull(value, name);
    if (value.isBlank()) {
      throw new IllegalArgumentException(name + " must not be blank");
    }
  }
}
