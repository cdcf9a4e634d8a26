package dev.keel.store;

/**
 * What one change of a dataset's items did.
 *
 * @param version the dataset's version after it: a new number when anything changed, else the
 *     version it already had
 * @param itemIds the ids of the items given, in order (generated where none was given)
 */
public record DatasetChange(int version, int added, int updated, int removed, int unchanged,
    java.util.List<String> itemIds) {

  public DatasetChange {
    itemIds = java.util.List.copyOf(itemIds);
  }

  /** Whether the change made a new version. */
  public boolean changed() {
    return added + updated + removed > 0;
  }
}
