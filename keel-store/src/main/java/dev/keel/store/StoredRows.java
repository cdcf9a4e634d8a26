package dev.keel.store;

import dev.keel.core.trace.Observation;
import dev.keel.core.trace.Trace;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import org.postgresql.PGStatement;

/**
 * Loads the stored rows a batch will merge into, inside the batch's transaction. On PostgreSQL
 * the rows are locked (FOR UPDATE) so that two Keel instances merging into the same row take
 * turns instead of losing one side's fields; SQLite has a single writer already.
 *
 * <p>On PostgreSQL each id of an array is looked up on its own (a LATERAL subquery with LIMIT 1,
 * so one primary-key probe per id) and locked in the array's (sorted) order, and the statement
 * is planned anew on every execution (never server-prepared). Without statistics (a new
 * database, autovacuum off or behind) the planner takes a project id to match few rows, so
 * both {@code id = ANY(?)} and a join from the array were answered by reading every row of the
 * project, and a generic plan made while the table was small kept doing so: the read grew with
 * the table and took most of each batch's time (14 ms against 0.4 ms at 4,700 rows).
 */
final class StoredRows {

  private static final int CHUNK = 500;

  private final Dialect dialect;

  StoredRows(Dialect dialect) {
    this.dialect = dialect;
  }

  Map<String, Trace> traces(Connection c, List<Trace> batch) throws SQLException {
    Map<String, Trace> out = new HashMap<>();
    load(c, "SELECT " + Rows.TRACE_COLUMNS, "traces t", "t",
        group(batch, Trace::projectId, Trace::id), rs -> {
          Trace t = Rows.summary(rs).trace();
          out.put(RowMerges.key(t.projectId(), t.id()), t);
        });
    return out;
  }

  Map<String, RowMerges.ObservationRow> observations(Connection c, List<Observation> creates,
      List<Observation> updates) throws SQLException {
    var all = new ArrayList<Observation>(creates);
    all.addAll(updates);
    Map<String, RowMerges.ObservationRow> out = new HashMap<>();
    load(c, "SELECT " + Rows.OBSERVATION_COLUMNS + ", o.provisional", "observations o", "o",
        group(all, Observation::projectId, Observation::id), rs -> {
          Observation o = Rows.observation(rs);
          out.put(RowMerges.key(o.projectId(), o.id()),
              new RowMerges.ObservationRow(o, rs.getBoolean("provisional")));
        });
    return out;
  }

  private <T> Map<String, List<String>> group(List<T> rows, Function<T, String> project,
      Function<T, String> id) {
    var grouped = new TreeMap<String, TreeSet<String>>();
    rows.forEach(r -> grouped.computeIfAbsent(project.apply(r), k -> new TreeSet<>())
        .add(id.apply(r)));
    var out = new TreeMap<String, List<String>>();
    grouped.forEach((p, ids) -> out.put(p, new ArrayList<>(ids)));
    return out;
  }

  private void load(Connection c, String select, String table, String alias,
      Map<String, List<String>> idsByProject, RowSink sink) throws SQLException {
    for (var e : idsByProject.entrySet()) {
      List<String> ids = e.getValue();
      for (int from = 0; from < ids.size(); from += CHUNK) {
        List<String> chunk = ids.subList(from, Math.min(ids.size(), from + CHUNK));
        String sql = dialect == Dialect.POSTGRESQL
            ? select + " FROM unnest(?::text[]) WITH ORDINALITY AS k(id, ord)"
                + " CROSS JOIN LATERAL (SELECT " + alias + ".* FROM " + table + " WHERE "
                + alias + ".project_id = ? AND " + alias + ".id = k.id LIMIT 1 FOR UPDATE) "
                + alias + " ORDER BY k.ord"
            : select + " FROM " + table + " WHERE " + alias + ".project_id = ? AND " + alias
                + ".id IN (" + String.join(", ", Collections.nCopies(chunk.size(), "?")) + ")";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
          if (dialect == Dialect.POSTGRESQL) {
            ps.unwrap(PGStatement.class).setPrepareThreshold(0);
            ps.setArray(1, c.createArrayOf("text", chunk.toArray()));
            ps.setString(2, e.getKey());
          } else {
            ps.setString(1, e.getKey());
            for (int i = 0; i < chunk.size(); i++) {
              ps.setString(i + 2, chunk.get(i));
            }
          }
          try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              sink.accept(rs);
            }
          }
        }
      }
    }
  }

  /** Takes the current row. */
  @FunctionalInterface
  private interface RowSink {
    void accept(ResultSet rs) throws SQLException;
  }
}
