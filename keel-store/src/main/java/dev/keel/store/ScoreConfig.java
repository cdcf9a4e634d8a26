package dev.keel.store;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What scores of one name may hold: a data type, a range for NUMERIC, categories for
 * CATEGORICAL and BOOLEAN (BOOLEAN's are always False = 0 and True = 1).
 */
public record ScoreConfig(
    String id,
    String projectId,
    String name,
    Score.DataType dataType,
    Double minValue,
    Double maxValue,
    List<Category> categories,
    String description,
    boolean archived,
    Instant createdAt,
    Instant updatedAt) {

  /** A category: its label and the number a score with that label gets. */
  public record Category(double value, String label) {
    public Category {
      Objects.requireNonNull(label, "label");
    }
  }

  public ScoreConfig {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(projectId, "projectId");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(dataType, "dataType");
    Objects.requireNonNull(createdAt, "createdAt");
    updatedAt = updatedAt == null ? createdAt : updatedAt;
    categories = categories == null ? List.of() : List.copyOf(categories);
    if (minValue != null && maxValue != null && minValue > maxValue) {
      throw new IllegalArgumentException("minValue must not exceed maxValue: " + minValue
          + " > " + maxValue);
    }
  }
}
