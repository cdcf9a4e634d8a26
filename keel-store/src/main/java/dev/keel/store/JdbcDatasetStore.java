package dev.keel.store;

import dev.keel.core.error.ErrorCode;
import dev.keel.core.error.KeelException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.UUID;

/**
 * Datasets on SQLite or PostgreSQL.
 *
 * <p>A change reads the dataset's head row and writes {@code latest_version + 1} in one
 * transaction. On PostgreSQL the head is read with {@code FOR UPDATE}, so concurrent changes
 * of one dataset queue behind each other; SQLite writes are serialized anyway. Whether an item
 * changed is decided by a hash of its stored fields, so re-applying the same items is a no-op.
 */
final class JdbcDatasetStore implements DatasetStore {

  private static final String DATASET_COLUMNS = "d.id, d.name, d.description, d.metadata,"
      + " d.input_schema, d.expected_output_schema, d.latest_version, d.created_us, d.updated_us";
  private static final String ITEM_COLUMNS = "i.id, d.id AS dataset_id, i.dataset_name,"
      + " r.status, r.input, r.expected_output, r.contexts, r.metadata, r.source_trace_id,"
      + " r.source_observation_id, r.version, i.created_us, r.created_us AS updated_us";
  private static final String ITEM_FROM = " FROM dataset_items i JOIN dataset_item_revisions r"
      + " ON r.project_id = i.project_id AND r.item_id = i.id JOIN datasets d"
      + " ON d.project_id = i.project_id AND d.name = i.dataset_name";
  private static final String AT_VERSION = "r.version = (SELECT MAX(r2.version) FROM"
      + " dataset_item_revisions r2 WHERE r2.project_id = i.project_id AND r2.item_id = i.id"
      + " AND r2.version <= ?)";

  private final Db db;
  private final JdbcDatasetRuns runs;

  JdbcDatasetStore(Db db) {
    this.db = db;
    this.runs = new JdbcDatasetRuns(db, this);
  }

  @Override
  public DatasetRecord upsert(String projectId, DatasetDraft d, Instant at) {
    long us = Rows.micros(at);
    return db.write(c -> {
      update(c, "INSERT INTO datasets (project_id, id, name, latest_version, created_us,"
          + " updated_us) VALUES (?, ?, ?, 0, ?, ?) ON CONFLICT (project_id, name) DO NOTHING",
          projectId, UUID.randomUUID().toString(), d.name(), us, us);
      update(c, "UPDATE datasets SET description = COALESCE(?, description),"
          + " metadata = COALESCE(?, metadata), input_schema = COALESCE(?, input_schema),"
          + " expected_output_schema = COALESCE(?, expected_output_schema), updated_us = ?"
          + " WHERE project_id = ? AND name = ?", d.description(), d.metadata(),
          d.inputSchema(), d.expectedOutputSchema(), us, projectId, d.name());
      return dataset(c, projectId, d.name(), false).orElseThrow();
    });
  }

  @Override
  public Optional<DatasetRecord> find(String projectId, String name) {
    return db.read(c -> dataset(c, projectId, name, false));
  }

  @Override
  public Page<DatasetRecord> list(String projectId, int page, int limit) {
    String sql = "SELECT " + DATASET_COLUMNS + " FROM datasets d WHERE d.project_id = ?"
        + " ORDER BY d.updated_us DESC, d.name LIMIT ? OFFSET ?";
    return db.read(c -> new Page<>(JdbcTraceStore.query(c, sql, new Where(),
        JdbcDatasetStore::dataset, projectId, limit, Math.multiplyExact(page - 1, limit)),
        page, limit, count(c, "SELECT COUNT(*) FROM datasets WHERE project_id = ?", projectId)));
  }

  @Override
  public DatasetChange apply(String projectId, String datasetName, List<DatasetItemDraft> items,
      boolean replace, Instant at) {
    return db.write(c -> new Change(c, projectId, datasetName, Rows.micros(at)).run(items,
        replace));
  }

  @Override
  public Page<DatasetItemRecord> items(DatasetItemQuery q) {
    // The latest revision is the head's, a key lookup; an older version needs the newest
    // revision at or below it.
    Where w = (q.version() == null ? new Where().add("r.version = i.latest_version")
        : new Where().add(AT_VERSION, q.version()))
        .add("i.project_id = ?", q.projectId())
        .add("r.status <> 'DELETED'")
        .addIf(q.datasetName(), "i.dataset_name = ?")
        .addIf(q.sourceTraceId(), "r.source_trace_id = ?")
        .addIf(q.sourceObservationId(), "r.source_observation_id = ?");
    String sql = "SELECT " + ITEM_COLUMNS + ITEM_FROM + w.sql()
        + " ORDER BY i.dataset_name, i.ordinal LIMIT ? OFFSET ?";
    return db.read(c -> {
      List<DatasetItemRecord> page = JdbcTraceStore.query(c, sql, w, JdbcDatasetStore::item,
          q.limit(), Math.multiplyExact(q.page() - 1, q.limit()));
      long total = JdbcTraceStore.query(c, "SELECT COUNT(*)" + ITEM_FROM + w.sql(), w,
          rs -> rs.getLong(1)).get(0);
      return new Page<>(page, q.page(), q.limit(), total);
    });
  }

  @Override
  public Optional<DatasetItemRecord> item(String projectId, String id) {
    return db.read(c -> item(c, projectId, id));
  }

  @Override
  public boolean deleteItem(String projectId, String id, Instant at) {
    return db.write(c -> {
      Optional<DatasetItemRecord> found = item(c, projectId, id);
      if (found.isEmpty()) {
        return false;
      }
      new Change(c, projectId, found.get().datasetName(), Rows.micros(at)).remove(id);
      return true;
    });
  }

  @Override
  public OptionalInt versionAt(String projectId, String datasetName, Instant at) {
    return db.read(c -> {
      List<Integer> v = JdbcTraceStore.query(c, "SELECT MAX(version) FROM dataset_versions"
          + " WHERE project_id = ? AND dataset_name = ? AND created_us <= ?", new Where(),
          rs -> rs.getObject(1) == null ? null : rs.getInt(1), projectId, datasetName,
          Rows.micros(at));
      return v.get(0) == null ? OptionalInt.empty() : OptionalInt.of(v.get(0));
    });
  }

  @Override
  public DatasetRunItem addRunItem(String projectId, DatasetRunItemDraft draft, Instant at) {
    return runs.addRunItem(projectId, draft, at);
  }

  @Override
  public Page<DatasetRun> runs(String projectId, String datasetName, int page, int limit) {
    return runs.runs(projectId, datasetName, page, limit);
  }

  @Override
  public Optional<DatasetRun> run(String projectId, String datasetName, String runName) {
    return runs.run(projectId, datasetName, runName);
  }

  @Override
  public Page<DatasetRunItem> runItems(String projectId, String runId, int page, int limit) {
    return runs.runItems(projectId, runId, page, limit);
  }

  @Override
  public boolean deleteRun(String projectId, String datasetName, String runName) {
    return runs.deleteRun(projectId, datasetName, runName);
  }

  Optional<DatasetItemRecord> item(Connection c, String projectId, String id)
      throws SQLException {
    String sql = "SELECT " + ITEM_COLUMNS + ITEM_FROM + " WHERE i.project_id = ? AND i.id = ?"
        + " AND r.version = i.latest_version AND r.status <> 'DELETED'";
    return JdbcTraceStore.query(c, sql, new Where(), JdbcDatasetStore::item, projectId, id)
        .stream().findFirst();
  }

  Optional<DatasetRecord> dataset(Connection c, String projectId, String name, boolean lock)
      throws SQLException {
    String sql = "SELECT " + DATASET_COLUMNS + " FROM datasets d WHERE d.project_id = ?"
        + " AND d.name = ?" + (lock && db.dialect() == Dialect.POSTGRESQL ? " FOR UPDATE" : "");
    return JdbcTraceStore.query(c, sql, new Where(), JdbcDatasetStore::dataset, projectId, name)
        .stream().findFirst();
  }

  static long count(Connection c, String sql, Object... params) throws SQLException {
    return JdbcTraceStore.query(c, sql, new Where(), rs -> rs.getLong(1), params).get(0);
  }

  static void update(Connection c, String sql, Object... params) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) {
        ps.setObject(i + 1, params[i]);
      }
      ps.executeUpdate();
    }
  }

  private static DatasetRecord dataset(ResultSet rs) throws SQLException {
    return new DatasetRecord(rs.getString("id"), rs.getString("name"),
        rs.getString("description"), rs.getString("metadata"), rs.getString("input_schema"),
        rs.getString("expected_output_schema"), rs.getInt("latest_version"),
        Rows.instant(rs.getLong("created_us")), Rows.instant(rs.getLong("updated_us")));
  }

  private static DatasetItemRecord item(ResultSet rs) throws SQLException {
    return new DatasetItemRecord(rs.getString("id"), rs.getString("dataset_id"),
        rs.getString("dataset_name"), rs.getString("status"), rs.getString("input"),
        rs.getString("expected_output"), Json.readTags(rs.getString("contexts")),
        rs.getString("metadata"), rs.getString("source_trace_id"),
        rs.getString("source_observation_id"), rs.getInt("version"),
        Rows.instant(rs.getLong("created_us")), Rows.instant(rs.getLong("updated_us")));
  }

  private static String hash(DatasetItemDraft d) {
    String joined = String.join("\u0000", d.status(), String.valueOf(d.input()),
        String.valueOf(d.expectedOutput()), Json.writeTags(d.contexts()),
        String.valueOf(d.metadata()), String.valueOf(d.sourceTraceId()),
        String.valueOf(d.sourceObservationId()));
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
          .digest(joined.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JDK", e);
    }
  }

  /** One change of one dataset's items, in the caller's transaction. */
  private final class Change {

    private final Connection c;
    private final String projectId;
    private final String name;
    private final long at;
    private final DatasetRecord dataset;
    private final int next;
    // The next item's position, counted once per change (-1 until needed).
    private long ordinal = -1;

    Change(Connection c, String projectId, String name, long at) throws SQLException {
      this.c = c;
      this.projectId = projectId;
      this.name = name;
      this.at = at;
      this.dataset = dataset(c, projectId, name, true).orElseThrow(() -> new KeelException(
          ErrorCode.NOT_FOUND, "dataset not found: " + name));
      this.next = dataset.version() + 1;
    }

    DatasetChange run(List<DatasetItemDraft> items, boolean replace) throws SQLException {
      Map<String, String> current = currentHashes();
      var ids = new ArrayList<String>();
      Set<String> given = new HashSet<>();
      int added = 0;
      int updated = 0;
      for (DatasetItemDraft d : items) {
        String id = d.id() == null ? UUID.randomUUID().toString() : d.id();
        if (!given.add(id)) {
          throw new KeelException(ErrorCode.INVALID_REQUEST, "item id repeats: " + id, "id",
              null);
        }
        ids.add(id);
        String hash = hash(d);
        String had = current.get(id);
        if (had == null) {
          claim(id);
          added++;
        } else if (had.equals(hash)) {
          continue;
        } else {
          updated++;
        }
        writeRevision(id, d, hash);
      }
      int removed = 0;
      if (replace) {
        for (String id : current.keySet()) {
          if (!given.contains(id)) {
            tombstone(id);
            removed++;
          }
        }
      }
      int unchanged = items.size() - added - updated;
      boolean changed = added + updated + removed > 0;
      if (changed) {
        bump();
      }
      return new DatasetChange(changed ? next : dataset.version(), added, updated, removed,
          unchanged, ids);
    }

    void remove(String id) throws SQLException {
      tombstone(id);
      bump();
    }

    private Map<String, String> currentHashes() throws SQLException {
      var out = new HashMap<String, String>();
      JdbcTraceStore.query(c, "SELECT i.id, r.content_hash FROM dataset_items i"
          + " JOIN dataset_item_revisions r ON r.project_id = i.project_id AND r.item_id = i.id"
          + " AND r.version = i.latest_version WHERE i.project_id = ? AND i.dataset_name = ?"
          + " AND r.status <> 'DELETED'", new Where(),
          rs -> out.put(rs.getString(1), rs.getString(2)), projectId, name);
      return out;
    }

    // A new id gets a head row; an id deleted earlier from this dataset comes back; an id of
    // another dataset is refused, since item ids are unique per project.
    private void claim(String id) throws SQLException {
      List<String> owner = JdbcTraceStore.query(c, "SELECT dataset_name FROM dataset_items"
          + " WHERE project_id = ? AND id = ?", new Where(), rs -> rs.getString(1),
          projectId, id);
      if (owner.isEmpty()) {
        if (ordinal < 0) {
          ordinal = count(c, "SELECT COUNT(*) FROM dataset_items WHERE project_id = ?"
              + " AND dataset_name = ?", projectId, name);
        }
        update(c, "INSERT INTO dataset_items (project_id, id, dataset_name, ordinal,"
            + " latest_version, created_us) VALUES (?, ?, ?, ?, ?, ?)", projectId, id, name,
            ordinal++, next, at);
      } else if (!owner.get(0).equals(name)) {
        throw new KeelException(ErrorCode.INVALID_REQUEST, "item id " + id
            + " belongs to dataset " + owner.get(0) + "; item ids are unique per project",
            "id", null);
      }
    }

    private void writeRevision(String id, DatasetItemDraft d, String hash) throws SQLException {
      update(c, "INSERT INTO dataset_item_revisions (project_id, item_id, version, status,"
          + " input, expected_output, contexts, metadata, source_trace_id,"
          + " source_observation_id, content_hash, created_us)"
          + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", projectId, id, next, d.status(),
          d.input(), d.expectedOutput(), Json.writeTags(d.contexts()), d.metadata(),
          d.sourceTraceId(), d.sourceObservationId(), hash, at);
      update(c, "UPDATE dataset_items SET latest_version = ? WHERE project_id = ? AND id = ?",
          next, projectId, id);
    }

    private void tombstone(String id) throws SQLException {
      writeRevision(id, new DatasetItemDraft(id, null, null, null, null, null, null, null),
          "deleted");
      update(c, "UPDATE dataset_item_revisions SET status = 'DELETED' WHERE project_id = ?"
          + " AND item_id = ? AND version = ?", projectId, id, next);
    }

    private void bump() throws SQLException {
      update(c, "UPDATE datasets SET latest_version = ?, updated_us = ? WHERE project_id = ?"
          + " AND name = ?", next, at, projectId, name);
      update(c, "INSERT INTO dataset_versions (project_id, dataset_name, version, created_us)"
          + " VALUES (?, ?, ?, ?)", projectId, name, next, at);
    }
  }
}
