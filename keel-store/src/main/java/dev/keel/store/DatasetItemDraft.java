package dev.keel.store;

import java.util.List;
import java.util.Set;

/**
 * An item to add or change. JSON fields are raw JSON text or null.
 *
 * @param id the item's id, or null for a new item with a generated id
 * @param status ACTIVE or ARCHIVED
 */
public record DatasetItemDraft(String id, String status, String input, String expectedOutput,
    List<String> contexts, String metadata, String sourceTraceId, String sourceObservationId) {

  /** The statuses a draft may set. */
  public static final Set<String> STATUSES = Set.of("ACTIVE", "ARCHIVED");

  public DatasetItemDraft {
    contexts = contexts == null ? List.of() : List.copyOf(contexts);
    status = status == null ? "ACTIVE" : status;
    if (!STATUSES.contains(status)) {
      throw new IllegalArgumentException("status must be ACTIVE or ARCHIVED: " + status);
    }
    if (id != null && (id.isBlank() || id.length() > 255)) {
      throw new IllegalArgumentException("id must be 1 to 255 characters: '" + id + "'");
    }
  }
}
