package dev.keel.store;

import java.util.List;

/**
 * What one change of a dataset's items did.
 *
 * @param version the dataset's version after it: a new number when anything changed, else the
 *     version it already had
 * @param itemIds the ids of the items given, in order (generated where none was given)
 */
public record DatasetChange(int version, int added, int updated, int removed, int unchanged,
    List<String> itemIds) {

  public DatasetChange {
    itemIds = List.copyOf(itemIds);
  }

  /** Whether the change made a new version. */
  public boolean changed() {
    return added + updated + removed > 0;
  }
}
