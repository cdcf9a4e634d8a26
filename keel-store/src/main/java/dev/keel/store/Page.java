package dev.keel.store;

import java.util.List;

/** One page of a list, with the totals the Langfuse {@code meta} object needs. */
public record Page<T>(List<T> items, int page, int limit, long totalItems) {

  public Page {
    items = List.copyOf(items);
    if (page < 1) {
      throw new IllegalArgumentException("page must be at least 1: " + page);
    }
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be positive: " + limit);
    }
    if (totalItems < 0) {
      throw new IllegalArgumentException("totalItems must be non-negative: " + totalItems);
    }
  }

  /** Number of pages of {@code limit} items; 0 when there are no items. */
  public int totalPages() {
    return (int) ((totalItems + limit - 1) / limit);
  }
}
