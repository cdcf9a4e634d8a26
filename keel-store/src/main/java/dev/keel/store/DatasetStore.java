package dev.keel.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Datasets at rest: named, versioned collections of items, plus runs that link items to
 * traces.
 *
 * <p>Versioning: every change of a dataset's items makes one new dataset version (1, 2,
 * 3...), however many items it touches; a change that alters nothing makes none. Item
 * revisions are immutable, so any version can be read back as it was. Item ids are unique per
 * project, as in Langfuse.
 */
public interface DatasetStore {

  /** Creates the dataset, or updates the fields the draft sets; the version is unchanged. */
  DatasetRecord upsert(String projectId, DatasetDraft draft, Instant at);

  Optional<DatasetRecord> find(String projectId, String name);

  /** Datasets, most recently updated first. */
  Page<DatasetRecord> list(String projectId, int page, int limit);

  /**
   * Adds or changes {@code items} of dataset {@code datasetName} as one new version. With
   * {@code replace}, items of the dataset not among {@code items} are removed in that same
   * version (a sync from a file).
   *
   * @throws dev.keel.core.error.KeelException NOT_FOUND when the dataset does not exist,
   *     INVALID_REQUEST when an id belongs to another dataset or repeats
   */
  DatasetChange apply(String projectId, String datasetName, List<DatasetItemDraft> items,
      boolean replace, Instant at);

  /** Items as they are at the query's version, in the order they were first added. */
  Page<DatasetItemRecord> items(DatasetItemQuery q);

  /** An item's newest revision, unless it is deleted. */
  Optional<DatasetItemRecord> item(String projectId, String id);

  /** Removes an item in a new version of its dataset; false when there is no such item. */
  boolean deleteItem(String projectId, String id, Instant at);

  /** The newest version made at or before {@code at}; empty when none was. */
  OptionalInt versionAt(String projectId, String datasetName, Instant at);

  /**
   * Links an item to a trace in a run, creating the run if needed.
   *
   * @throws dev.keel.core.error.KeelException NOT_FOUND when the item does not exist
   */
  DatasetRunItem addRunItem(String projectId, DatasetRunItemDraft draft, Instant at);

  /** A dataset's runs, newest first. */
  Page<DatasetRun> runs(String projectId, String datasetName, int page, int limit);

  Optional<DatasetRun> run(String projectId, String datasetName, String runName);

  /** A run's items, oldest first. */
  Page<DatasetRunItem> runItems(String projectId, String runId, int page, int limit);

  /** Deletes a run and its items; false when there is no such run. */
  boolean deleteRun(String projectId, String datasetName, String runName);
}
