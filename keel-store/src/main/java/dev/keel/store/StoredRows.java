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

  /** The stored rows a batch merges into, keyed by {@link RowMerges#key}. */
  record Loaded(Map<String, Trace> traces, Map<String, RowMerges.ObservationRow> observations) {
  }

  /**
   * Reads (and on PostgreSQL locks) the stored traces and observations {@code batch} names,
   * traces first. On PostgreSQL all the reads go in one round trip (one statement text holding
   * a query per project and chunk, answered with one result set each).
   */
  Loaded forMerge(Connection c, TraceBatch batch) throws SQLException {
    Map<String, Trace> traces = new HashMap<>();
    Map<String, RowMerges.ObservationRow> observations = new HashMap<>();
    var reads = new ArrayList<Read>();
    plan(reads, "SELECT " + Rows.TRACE_COLUMNS, "traces t", "t",
        group(batch.traces(), Trace::projectId, Trace::id), " FOR UPDATE", "", rs -> {
          Trace t = Rows.summary(rs).trace();
          traces.put(RowMerges.key(t.projectId(), t.id()), t);
        });
    var all = new ArrayList<Observation>(batch.observations());
    all.addAll(batch.observationUpdates());
    plan(reads, "SELECT " + MERGE_COLUMNS + ", o.provisional", "observations o", "o",
        group(all, Observation::projectId, Observation::id), " FOR UPDATE", "", rs -> {
          Observation o = Rows.observation(rs);
          observations.put(RowMerges.key(o.projectId(), o.id()),
              new RowMerges.ObservationRow(o, rs.getBoolean("provisional")));
        });
    run(c, reads);
    return new Loaded(traces, observations);
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
    var reads = new ArrayList<Read>();
    plan(reads, "SELECT " + Rows.OBSERVATION_COLUMNS, "observations o", "o", sorted, "",
        " AND " + x + "o.model IS NOT NULL AND " + x + "o.type IN ('GENERATION', 'EMBEDDING')"
            + " AND " + x + "o.level <> 'ERROR'"
            + " AND (o.input IS NOT NULL OR o.output IS NOT NULL)"
            + " AND ((o.usage_details IS NULL AND o.cost_details IS NULL)"
            + " OR o.usage_estimated = TRUE)",
        rs -> out.add(Rows.observation(rs)));
    run(c, reads);
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
  private void plan(List<Read> reads, String select, String table, String alias,
      Map<String, List<String>> idsByProject, String lock, String filter, RowSink sink) {
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
        reads.add(new Read(sql, e.getKey(), chunk, sink));
      }
    }
  }

  private void run(Connection c, List<Read> reads) throws SQLException {
    if (reads.isEmpty()) {
      return;
    }
    if (dialect != Dialect.POSTGRESQL) {
      for (Read r : reads) {
        try (PreparedStatement ps = c.prepareStatement(r.sql())) {
          ps.setString(1, r.projectId());
          for (int i = 0; i < r.ids().size(); i++) {
            ps.setString(i + 2, r.ids().get(i));
          }
          try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              r.sink().accept(rs);
            }
          }
        }
      }
      return;
    }
    // The driver sends the queries of one statement text together and reads their answers in
    // order: one round trip for all of them.
    String sql = String.join(";\n", reads.stream().map(Read::sql).toList());
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.unwrap(PGStatement.class).setPrepareThreshold(0);
      int p = 1;
      for (Read r : reads) {
        ps.setArray(p++, c.createArrayOf("text", r.ids().toArray()));
        ps.setString(p++, r.projectId());
      }
      ps.execute();
      for (Read r : reads) {
        try (ResultSet rs = ps.getResultSet()) {
          while (rs.next()) {
            r.sink().accept(rs);
          }
        }
        ps.getMoreResults();
      }
    }
  }

  private record Read(String sql, String projectId, List<String> ids, RowSink sink) {
  }

  /** Takes the current row. */
  @FunctionalInterface
  private interface RowSink {
    void accept(ResultSet rs) throws SQLException;
  }
}
