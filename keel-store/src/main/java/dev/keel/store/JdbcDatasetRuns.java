package dev.keel.store;

import dev.keel.core.error.ErrorCode;
import dev.keel.core.error.KeelException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Dataset runs and run items for {@link JdbcDatasetStore}. */
final class JdbcDatasetRuns {

  private static final String RUN_COLUMNS = "u.id, u.name, u.description, u.metadata,"
      + " d.id AS dataset_id, u.dataset_name, u.created_us, u.updated_us";
  private static final String RUN_FROM = " FROM dataset_runs u JOIN datasets d"
      + " ON d.project_id = u.project_id AND d.name = u.dataset_name";
  private static final String RUN_ITEM_COLUMNS = "x.id, x.run_id, u.name AS run_name,"
      + " x.dataset_item_id, x.trace_id, x.observation_id, x.dataset_version, x.created_us,"
      + " x.updated_us";

  private final Db db;
  private final JdbcDatasetStore datasets;

  JdbcDatasetRuns(Db db, JdbcDatasetStore datasets) {
    this.db = db;
    this.datasets = datasets;
  }

  DatasetRunItem addRunItem(String projectId, DatasetRunItemDraft d, Instant at) {
    long now = Rows.micros(at);
    long created = d.createdAt() == null ? now : Rows.micros(d.createdAt());
    return db.write(c -> {
      DatasetItemRecord item = datasets.item(c, projectId, d.datasetItemId()).orElseThrow(
          () -> new KeelException(ErrorCode.NOT_FOUND, "dataset item not found: "
              + d.datasetItemId()));
      DatasetRun run = ensureRun(c, projectId, item.datasetName(), d, now);
      int version = d.datasetVersion() != null ? d.datasetVersion()
          : datasets.dataset(c, projectId, item.datasetName(), false).orElseThrow().version();
      String id = UUID.randomUUID().toString();
      JdbcDatasetStore.update(c, "INSERT INTO dataset_run_items (project_id, id, run_id,"
          + " dataset_item_id, trace_id, observation_id, dataset_version, created_us,"
          + " updated_us) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", projectId, id, run.id(),
          item.id(), d.traceId(), d.observationId(), version, created, now);
      return new DatasetRunItem(id, run.id(), run.name(), item.id(), d.traceId(),
          d.observationId(), version, Rows.instant(created), Rows.instant(now));
    });
  }

  Page<DatasetRun> runs(String projectId, String datasetName, int page, int limit) {
    String sql = "SELECT " + RUN_COLUMNS + RUN_FROM + " WHERE u.project_id = ?"
        + " AND u.dataset_name = ? ORDER BY u.created_us DESC, u.name LIMIT ? OFFSET ?";
    return db.read(c -> new Page<>(JdbcTraceStore.query(c, sql, new Where(),
        JdbcDatasetRuns::run, projectId, datasetName, limit, Math.multiplyExact(page - 1, limit)),
        page, limit, JdbcDatasetStore.count(c, "SELECT COUNT(*) FROM dataset_runs"
            + " WHERE project_id = ? AND dataset_name = ?", projectId, datasetName)));
  }

  Optional<DatasetRun> run(String projectId, String datasetName, String runName) {
    return db.read(c -> run(c, projectId, datasetName, runName));
  }

  Page<DatasetRunItem> runItems(String projectId, String runId, int page, int limit) {
    String sql = "SELECT " + RUN_ITEM_COLUMNS + " FROM dataset_run_items x JOIN dataset_runs u"
        + " ON u.project_id = x.project_id AND u.id = x.run_id WHERE x.project_id = ?"
        + " AND x.run_id = ? ORDER BY x.created_us, x.id LIMIT ? OFFSET ?";
    return db.read(c -> new Page<>(JdbcTraceStore.query(c, sql, new Where(),
        JdbcDatasetRuns::runItem, projectId, runId, limit, Math.multiplyExact(page - 1, limit)),
        page, limit, JdbcDatasetStore.count(c, "SELECT COUNT(*) FROM dataset_run_items"
            + " WHERE project_id = ? AND run_id = ?", projectId, runId)));
  }

  boolean deleteRun(String projectId, String datasetName, String runName) {
    return db.write(c -> {
      Optional<DatasetRun> run = run(c, projectId, datasetName, runName);
      if (run.isEmpty()) {
        return false;
      }
      JdbcDatasetStore.update(c, "DELETE FROM dataset_run_items WHERE project_id = ?"
          + " AND run_id = ?", projectId, run.get().id());
      JdbcDatasetStore.update(c, "DELETE FROM dataset_runs WHERE project_id = ? AND id = ?",
          projectId, run.get().id());
      return true;
    });
  }

  private DatasetRun ensureRun(Connection c, String projectId, String datasetName,
      DatasetRunItemDraft d, long now) throws SQLException {
    JdbcDatasetStore.update(c, "INSERT INTO dataset_runs (project_id, id, dataset_name, name,"
        + " created_us, updated_us) VALUES (?, ?, ?, ?, ?, ?)"
        + " ON CONFLICT (project_id, dataset_name, name) DO NOTHING", projectId,
        UUID.randomUUID().toString(), datasetName, d.runName(), now, now);
    if (d.runDescription() != null || d.metadata() != null) {
      JdbcDatasetStore.update(c, "UPDATE dataset_runs SET description = COALESCE(?,"
          + " description), metadata = COALESCE(?, metadata), updated_us = ?"
          + " WHERE project_id = ? AND dataset_name = ? AND name = ?", d.runDescription(),
          d.metadata(), now, projectId, datasetName, d.runName());
    }
    return run(c, projectId, datasetName, d.runName()).orElseThrow();
  }

  private static Optional<DatasetRun> run(Connection c, String projectId, String datasetName,
      String runName) throws SQLException {
    String sql = "SELECT " + RUN_COLUMNS + RUN_FROM + " WHERE u.project_id = ?"
        + " AND u.dataset_name = ? AND u.name = ?";
    List<DatasetRun> found = JdbcTraceStore.query(c, sql, new Where(), JdbcDatasetRuns::run,
        projectId, datasetName, runName);
    return found.stream().findFirst();
  }

  private static DatasetRun run(ResultSet rs) throws SQLException {
    return new DatasetRun(rs.getString("id"), rs.getString("name"), rs.getString("description"),
        rs.getString("metadata"), rs.getString("dataset_id"), rs.getString("dataset_name"),
        Rows.instant(rs.getLong("created_us")), Rows.instant(rs.getLong("updated_us")));
  }

  private static DatasetRunItem runItem(ResultSet rs) throws SQLException {
    return new DatasetRunItem(rs.getString("id"), rs.getString("run_id"),
        rs.getString("run_name"), rs.getString("dataset_item_id"), rs.getString("trace_id"),
        rs.getString("observation_id"), rs.getInt("dataset_version"),
        Rows.instant(rs.getLong("created_us")), Rows.instant(rs.getLong("updated_us")));
  }
}
