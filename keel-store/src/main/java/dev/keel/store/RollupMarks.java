package dev.keel.store;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * Marks the hours a write touched as dirty for the hourly rollups ({@link RollupRefresh}), in
 * the write's own transaction: the hours every observation of the touched traces started in,
 * and the hours of the traces themselves. Marking whole traces, not only the rows written,
 * also covers a trace whose user or key metadata changed, which regroups its observations'
 * spend. Hours left behind by a row that moved, and deletes, are marked by triggers
 * (migration V9).
 */
final class RollupMarks {

  private static final int CHUNK = 500;
  // SQLite: the traces are reached by primary key (its automatic index). Left to itself the
  // planner, without statistics, answered "id IN (...)" from the covering traces_list index by
  // reading every trace of the project, in every write transaction.
  private static final String SQLITE = """
      INSERT INTO rollup_dirty (project_id, hour)
      SELECT ?, h FROM (
        SELECT start_us / 3600000000 - (start_us %% 3600000000 < 0) AS h FROM observations
        WHERE project_id = ? AND trace_id IN (%1$s)
        UNION SELECT timestamp_us / 3600000000 - (timestamp_us %% 3600000000 < 0)
        FROM traces INDEXED BY sqlite_autoindex_traces_1
        WHERE project_id = ? AND id IN (%1$s))
      WHERE NOT EXISTS (SELECT 1 FROM rollup_dirty d WHERE d.project_id = ? AND d.hour = h)
      """;
  // PostgreSQL, part of the write path's statement texts (TraceWrites), for one project (see
  // TraceWrites.ROLLUP_PG). No NOT EXISTS: a refresher may be about to delete the mark it would
  // find, having read the hour before this write commits (see RollupRefresh). Each trace id of
  // the array is looked up on its own, through the (project, trace) index of observations and
  // the primary key of traces: OFFSET 0 keeps each LATERAL subquery from being flattened into
  // a join the planner, without statistics, answered by reading every row of the project (a
  // quarter of the ingestion writer's time at 100,000 rows).
  static final String POSTGRESQL = """
      INSERT INTO rollup_dirty (project_id, hour)
      SELECT CAST(? AS TEXT), rollup_hour(o.start_us) FROM unnest(?::text[]) AS k(id)
        CROSS JOIN LATERAL (SELECT start_us FROM observations
          WHERE project_id = ? AND trace_id = k.id OFFSET 0) o
      UNION SELECT CAST(? AS TEXT), rollup_hour(t.timestamp_us) FROM unnest(?::text[]) AS k(id)
        CROSS JOIN LATERAL (SELECT timestamp_us FROM traces
          WHERE project_id = ? AND id = k.id LIMIT 1) t
      """;

  /** Binds {@link #POSTGRESQL}'s six parameters from {@code first} on. */
  static void bindPostgres(PreparedStatement ps, int first, String projectId, Array ids)
      throws SQLException {
    ps.setString(first, projectId);
    ps.setArray(first + 1, ids);
    ps.setString(first + 2, projectId);
    ps.setString(first + 3, projectId);
    ps.setArray(first + 4, ids);
    ps.setString(first + 5, projectId);
  }

  private RollupMarks() {}

  /** SQLite: marks the hours of the traces {@code traceIdsByProject} names, in chunks of 500. */
  static void mark(Connection c, Map<String, List<String>> traceIdsByProject)
      throws SQLException {
    for (var e : traceIdsByProject.entrySet()) {
      List<String> ids = e.getValue();
      for (int from = 0; from < ids.size(); from += CHUNK) {
        markSqlite(c, e.getKey(), ids.subList(from, Math.min(ids.size(), from + CHUNK)));
      }
    }
  }

  private static void markSqlite(Connection c, String projectId, List<String> ids)
      throws SQLException {
    String sql = SQLITE.formatted(String.join(", ", Collections.nCopies(ids.size(), "?")));
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      int i = 1;
      ps.setString(i++, projectId);
      for (int pass = 0; pass < 2; pass++) {
        ps.setString(i++, projectId);
        for (String id : ids) {
          ps.setString(i++, id);
        }
      }
      ps.setString(i, projectId);
      ps.executeUpdate();
    }
  }
}
