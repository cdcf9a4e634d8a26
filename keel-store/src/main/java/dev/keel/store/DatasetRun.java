package dev.keel.store;

import java.time.Instant;
import java.util.Objects;

/** A named run over a dataset (an experiment's results are linked to it item by item). */
public record DatasetRun(String id, String name, String description, String metadata,
    String datasetId, String datasetName, Instant createdAt, Instant updatedAt) {

  public DatasetRun {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(name, "name");
  }
}
