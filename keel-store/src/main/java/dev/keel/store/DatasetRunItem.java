package dev.keel.store;

import java.time.Instant;
import java.util.Objects;

/** The link from one dataset item to the trace (and optionally observation) a run made. */
public record DatasetRunItem(String id, String runId, String runName, String datasetItemId,
    String traceId, String observationId, int datasetVersion, Instant createdAt,
    Instant updatedAt) {

  public DatasetRunItem {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(traceId, "traceId");
  }
}
