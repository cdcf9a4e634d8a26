package dev.keel.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Removes traces with their observations and scores. Age-based removal runs in chunks, one
 * transaction each, so that a large first run neither holds SQLite's single writer for long
 * nor builds one huge PostgreSQL transaction.
 */
final class TraceDeletes {

  private static final int CHUNK = 500;

  private final Db db;

  TraceDeletes(Db db) {
    this.db = db;
  }

  /** Deletes the traces of one project by id; returns how many traces were removed. */
  int delete(String projectId, List<String> traceIds) {
    int removed = 0;
    for (int from = 0; from < traceIds.size(); from += CHUNK) {
      List<String> chunk = traceIds.subList(from, Math.min(traceIds.size(), from + CHUNK));
      removed += db.write(c -> deleteChunk(c, projectId, chunk));
    }
    return removed;
  }

  /**
   * Deletes every trace older than {@code cutoffMicros} in all projects, with their
   * observations and scores, then observations and scores older than the cutoff whose trace
   * never arrived. Returns the number of traces removed.
   */
  long deleteOlderThan(long cutoffMicros) {
    long removed = 0;
    while (true) {
      Map<String, List<String>> batch = db.read(c -> oldTraces(c, cutoffMicros));
      if (batch.isEmpty()) {
        break;
      }
      for (var e : batch.entrySet()) {
        removed += db.write(c -> deleteChunk(c, e.getKey(), e.getValue()));
      }
    }
    db.write(c -> {
      exec(c, "DELETE FROM observations WHERE start_us < ? AND NOT EXISTS (SELECT 1 FROM"
          + " traces t WHERE t.project_id = observations.project_id"
          + " AND t.id = observations.trace_id)", cutoffMicros);
      return exec(c, "DELETE FROM scores WHERE timestamp_us < ?", cutoffMicros);
    });
    return removed;
  }

  private static Map<String, List<String>> oldTraces(Connection c, long cutoff)
      throws SQLException {
    var out = new TreeMap<String, List<String>>();
    String sql = "SELECT project_id, id FROM traces WHERE timestamp_us < ? LIMIT " + CHUNK;
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setLong(1, cutoff);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(rs.getString(2));
        }
      }
    }
    return out;
  }

  private static int deleteChunk(Connection c, String projectId, List<String> ids)
      throws SQLException {
    String in = " WHERE project_id = ? AND %s IN ("
        + String.join(", ", Collections.nCopies(ids.size(), "?")) + ")";
    deleteIn(c, "DELETE FROM scores" + in.formatted("trace_id"), projectId, ids);
    deleteIn(c, "DELETE FROM observations" + in.formatted("trace_id"), projectId, ids);
    return deleteIn(c, "DELETE FROM traces" + in.formatted("id"), projectId, ids);
  }

  private static int deleteIn(Connection c, String sql, String projectId, List<String> ids)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, projectId);
      for (int i = 0; i < ids.size(); i++) {
        ps.setString(i + 2, ids.get(i));
      }
      return ps.executeUpdate();
    }
  }

  private static int exec(Connection c, String sql, long value) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setLong(1, value);
      return ps.executeUpdate();
    }
  }
}
