package dev.keel.store;

import java.util.Objects;

/**
 * Filters of a dataset item list; null filters match everything.
 *
 * @param version the dataset version to read (needs {@code datasetName}); null for the latest
 */
public record DatasetItemQuery(String projectId, String datasetName, Integer version,
    String sourceTraceId, String sourceObservationId, int page, int limit) {

  public DatasetItemQuery {
    Objects.requireNonNull(projectId, "projectId");
    if (version != null && datasetName == null) {
      throw new IllegalArgumentException("version needs datasetName");
    }
    if (page < 1 || limit < 1) {
      throw new IllegalArgumentException("page and limit must be positive: " + page + ", "
          + limit);
    }
  }
}
