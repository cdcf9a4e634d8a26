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
  // The merge needs every column but the text of a created row: an update that leaves input
  // or output out keeps the stored one through the upsert's COALESCE, so the ~1 KB of text of
  // every updated observation is not read only to be written back. A provisional row (only
  // updates seen) is read whole, since the create that completes it goes under its values.
  private static final String MERGE_COLUMNS = Rows.OBSERVATION_COLUMNS
      .replace("o.input, o.output,", "CASE WHEN o.provisional THEN o.input END AS input,"
          + " CASE WHEN o.provisional THEN o.output END AS output,");

  private final Dialect dialect;

  StoredRows(Dialect dialect) {
    this.dialect = dialect;
  }

  Map<String, Trace> traces(Connection c, List<Trace> batch) throws SQLException {
    Map<String, Trace> out = new HashMap<>();
    load(c, "SELECT " + Rows.TRACE_COLUMNS, "traces t", "t",
        group(batch, Trace::projectId, Trace::id), " FOR UPDATE", "", rs -> {
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
    load(c, "SELECT " + MERGE_COLUMNS + ", o.provisional", "observations o", "o",
        group(all, Observation::projectId, Observation::id), " FOR UPDATE", "", rs -> {
          Observation o = Rows.observation(rs);
          out.put(RowMerges.key(o.projectId(), o.id()),
              new RowMerges.ObservationRow(o, rs.getBoolean("provisional")));
        });
    return out;
  }

  /**
   * Of the observations {@code ids} of a project, the model calls that still wait for a token
   * estimate: a model, no usage and no cost, or usage that was estimated before; read whole
   * (the tokenizer needs their text), without locks.
   */
  List<Observation> awaitingEstimate(Connection c, String projectId, List<String> ids)
      throws SQLException {
    var out = new ArrayList<Observation>();
    var sorted = new TreeMap<String, List<String>>();
    sorted.put(projectId, new ArrayList<>(new TreeSet<>(ids)));
    // SQLite: a unary + keeps the planner on the primary key; with the model or level index
    // it read every row of the project's model (seconds per call at 100,000 rows).
    String x = dialect == Dialect.SQLITE ? "+" : "";
    load(c, "SELECT " + Rows.OBSERVATION_COLUMNS, "observations o", "o", sorted, "",
        " AND " + x + "o.model IS NOT NULL AND " + x + "o.type IN ('GENERATION', 'EMBEDDING')"
            + " AND " + x + "o.level <> 'ERROR'"
            + " AND (o.input IS NOT NULL OR o.output IS NOT NULL)"
            + " AND ((o.usage_details IS NULL AND o.cost_details IS NULL)"
            + " OR o.usage_estimated = TRUE)",
        rs -> out.add(Rows.observation(rs)));
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

  // lock: " FOR UPDATE" or ""; filter: more conditions on the row (" AND ...") or "".
  private void load(Connection c, String select, String table, String alias,
      Map<String, List<String>> idsByProject, String lock, String filter, RowSink sink)
      throws SQLException {
    for (var e : idsByProject.entrySet()) {
      List<String> ids = e.getValue();
      for (int from = 0; from < ids.size(); from += CHUNK) {
        List<String> chunk = ids.subList(from, Math.min(ids.size(), from + CHUNK));
        String sql = dialect == Dialect.POSTGRESQL
            ? select + " FROM unnest(?::text[]) WITH ORDINALITY AS k(id, ord)"
                + " CROSS JOIN LATERAL (SELECT " + alias + ".* FROM " + table + " WHERE "
                + alias + ".project_id = ? AND " + alias + ".id = k.id" + filter + " LIMIT 1"
                + lock + ") " + alias + " ORDER BY k.ord"
            : select + " FROM " + table + " WHERE " + alias + ".project_id = ? AND " + alias
                + ".id IN (" + String.join(", ", Collections.nCopies(chunk.size(), "?")) + ")"
                + filter;
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
