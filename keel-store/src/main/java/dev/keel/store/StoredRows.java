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
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import org.postgresql.PGStatement;

/**
 * Loads the stored rows a batch will merge into, inside the batch's transaction. On PostgreSQL
 * the rows are locked (FOR UPDATE) so that two Keel instances merging into the same row take
 * turns instead of losing one side's fields; SQLite has a single writer already.
 *
 * <p>On PostgreSQL each key of the arrays is looked up on its own (a LATERAL subquery with
 * LIMIT 1, so one primary-key probe per key) and locked in the arrays' (sorted) order. Without
 * statistics (a new database, autovacuum off or behind) the planner takes a project id to
 * match few rows, so both {@code id = ANY(?)} and a join from the array were answered by
 * reading every row of the project (14 ms against 0.4 ms at 4,700 rows); and a plan kept from
 * an empty table can probe through an index that holds the project but not the id. The write
 * path's plans are kept per connection ({@link #KEYED_PLANS_PG}) and made again as
 * {@link PlannerStatistics} has the tables analyzed; {@link #awaitingEstimate}, off the write
 * path, is planned on every execution.
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

  /**
   * PostgreSQL: for the rest of the write transaction, plans may only probe by key, each key
   * on its own (index scans in nested loops), and a statement's plan is made once per
   * connection and kept (forced: left to itself the server plans statements with array
   * parameters for every execution, 10% of its time on the write path). A kept plan is made
   * again when the statistics of a table it reads change; {@link PlannerStatistics} sees that
   * they do while the tables grow, since a plan made on a nearly empty table without
   * statistics costs every index alike and may look a trace up through (project, user), which
   * holds the project but not the id.
   */
  static final String KEYED_PLANS_PG = "SELECT set_config('enable_seqscan', 'off', true),"
      + " set_config('enable_hashjoin', 'off', true),"
      + " set_config('enable_mergejoin', 'off', true),"
      + " set_config('plan_cache_mode', 'force_generic_plan', true)";

  /**
   * PostgreSQL: locks, for the rest of the transaction, every trace a batch writes into (its
   * own traces, those its observations name, and those the observations it updates are stored
   * under, read here without a lock), whether or not the trace is stored yet, in one order for all
   * writers (of the key's hash; a collision only makes two traces share a lock). Two
   * transactions that write into one trace so take turns before either reads: each rollup then
   * sums what the other committed (two instances adding observations to one trace left totals
   * short when each summed its own snapshot), and no lock on a trace or its rows is taken out
   * of that order (a transaction used to lock its own trace, then the one its observation named
   * for the rollup: two instances crossing traces deadlocked). A stored observation keeps its
   * first trace, so an update naming no trace or another one writes into the stored one.
   * Advisory locks in a class of Keel's own, 'keel' read as a 32-bit number.
   */
  private static final String LOCK_TRACES_PG = "SELECT pg_advisory_xact_lock(1801807212, h)"
      + " FROM (SELECT DISTINCT hashtext(x.project_id || chr(10) || x.id) AS h FROM ("
      + "SELECT k.project_id, k.id FROM unnest(?::text[], ?::text[]) AS k(project_id, id)"
      + " UNION ALL SELECT o.project_id, o.trace_id FROM unnest(?::text[], ?::text[])"
      + " AS k(project_id, id) CROSS JOIN LATERAL (SELECT project_id, trace_id FROM"
      + " observations WHERE project_id = k.project_id AND id = k.id LIMIT 1) o) x"
      + " ORDER BY h OFFSET 0) y ORDER BY h";

  // PostgreSQL: KEYED_PLANS_PG, LOCK_TRACES_PG, then the traces and the observations of a
  // batch by key, each key probed on its own (LATERAL ... LIMIT 1) and locked in the arrays'
  // (sorted) order.
  private static final String READ_PG = String.join(";\n", KEYED_PLANS_PG, LOCK_TRACES_PG,
      "SELECT " + Rows.TRACE_COLUMNS + " FROM unnest(?::text[], ?::text[]) WITH ORDINALITY"
          + " AS k(project_id, id, ord) CROSS JOIN LATERAL (SELECT t.* FROM traces t"
          + " WHERE t.project_id = k.project_id AND t.id = k.id LIMIT 1 FOR UPDATE) t"
          + " ORDER BY k.ord",
      "SELECT " + MERGE_COLUMNS + ", o.provisional FROM unnest(?::text[], ?::text[])"
          + " WITH ORDINALITY AS k(project_id, id, ord) CROSS JOIN LATERAL (SELECT o.*"
          + " FROM observations o WHERE o.project_id = k.project_id AND o.id = k.id LIMIT 1"
          + " FOR UPDATE) o ORDER BY k.ord");

  private final Dialect dialect;

  StoredRows(Dialect dialect) {
    this.dialect = dialect;
  }

  /** The stored rows a batch merges into, keyed by {@link RowMerges#key}. */
  record Loaded(Map<String, Trace> traces, Map<String, RowMerges.ObservationRow> observations) {
  }

  /**
   * Reads (and on PostgreSQL locks) the stored traces and observations {@code batch} names,
   * traces first.
   */
  Loaded forMerge(Connection c, TraceBatch batch) throws SQLException {
    Map<String, Trace> traces = new HashMap<>();
    Map<String, RowMerges.ObservationRow> observations = new HashMap<>();
    RowSink traceSink = rs -> {
      Trace t = Rows.summary(rs).trace();
      traces.put(RowMerges.key(t.projectId(), t.id()), t);
    };
    RowSink observationSink = rs -> {
      Observation o = Rows.observation(rs);
      observations.put(RowMerges.key(o.projectId(), o.id()),
          new RowMerges.ObservationRow(o, rs.getBoolean("provisional")));
    };
    var traceIds = group(batch.traces(), Trace::projectId, Trace::id);
    var all = new ArrayList<Observation>(batch.observations());
    all.addAll(batch.observationUpdates());
    var observationIds = group(all, Observation::projectId, Observation::id);
    if (dialect == Dialect.POSTGRESQL) {
      // The stored trace is looked up for updates only: a create names the trace its row was
      // first written under, but for a resend that changed it (locked late, see lockTracesPg).
      var updated = group(batch.observationUpdates(), Observation::projectId, Observation::id);
      readPg(c, RowMerges.byProject(tracesNamed(batch)), updated, traceIds, traceSink,
          observationIds, observationSink);
      return new Loaded(traces, observations);
    }
    var reads = new ArrayList<Read>();
    plan(reads, "SELECT " + Rows.TRACE_COLUMNS, "traces t", "t", traceIds, "", traceSink);
    plan(reads, "SELECT " + MERGE_COLUMNS + ", o.provisional", "observations o", "o",
        observationIds, "", observationSink);
    run(c, reads);
    return new Loaded(traces, observations);
  }

  /**
   * The (project, trace) keys ({@link RowMerges#key}) of the traces {@code batch} names: its
   * traces and those its observation events name. On PostgreSQL the read locks them.
   */
  static Set<String> tracesNamed(TraceBatch batch) {
    var keys = new HashSet<String>();
    batch.traces().forEach(t -> keys.add(RowMerges.key(t.projectId(), t.id())));
    batch.observations().forEach(o -> keys.add(RowMerges.key(o.projectId(), o.traceId())));
    batch.observationUpdates().forEach(o -> keys.add(RowMerges.key(o.projectId(),
        o.traceId())));
    return keys;
  }

  /**
   * PostgreSQL: locks more traces as {@link #LOCK_TRACES_PG} does, for those the merge found
   * the batch writes into beyond the ones locked first: the stored trace of a created
   * observation resent under another trace, or of a provisional one that moved between the
   * lock and its read. Taken after the others, so two transactions can deadlock here; the
   * server then ends one, which is run again (Db.write).
   */
  static void lockTracesPg(Connection c, Map<String, List<String>> traces)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(LOCK_TRACES_PG)) {
      bindKeys(c, ps, 1, traces);
      bindKeys(c, ps, 3, Map.of());
      ps.execute();
    }
  }

  // PostgreSQL: the planner settings, then both reads, in one round trip and one statement
  // text whatever the batch holds (the keys travel as parallel arrays of project and id), so
  // each connection parses and plans it once.
  private static void readPg(Connection c, Map<String, List<String>> touched,
      Map<String, List<String>> updated, Map<String, List<String>> traceIds, RowSink traces,
      Map<String, List<String>> observationIds, RowSink observations) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(READ_PG)) {
      bindKeys(c, ps, 1, touched);
      bindKeys(c, ps, 3, updated);
      bindKeys(c, ps, 5, traceIds);
      bindKeys(c, ps, 7, observationIds);
      ps.execute();
      ps.getMoreResults(); // the planner settings' row
      ps.getMoreResults(); // the trace locks' rows
      for (RowSink sink : List.of(traces, observations)) {
        try (ResultSet rs = ps.getResultSet()) {
          while (rs.next()) {
            sink.accept(rs);
          }
        }
        ps.getMoreResults();
      }
    }
  }

  // Binds the keys as two parallel arrays, sorted by (project, id).
  private static void bindKeys(Connection c, PreparedStatement ps, int first,
      Map<String, List<String>> idsByProject) throws SQLException {
    var projects = new ArrayList<String>();
    var ids = new ArrayList<String>();
    idsByProject.forEach((project, list) -> list.forEach(id -> {
      projects.add(project);
      ids.add(id);
    }));
    ps.setArray(first, c.createArrayOf("text", projects.toArray(new String[0])));
    ps.setArray(first + 1, c.createArrayOf("text", ids.toArray(new String[0])));
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
    plan(reads, "SELECT " + Rows.OBSERVATION_COLUMNS, "observations o", "o", sorted,
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

  // filter: more conditions on the row (" AND ...") or "".
  private void plan(List<Read> reads, String select, String table, String alias,
      Map<String, List<String>> idsByProject, String filter, RowSink sink) {
    for (var e : idsByProject.entrySet()) {
      List<String> ids = e.getValue();
      for (int from = 0; from < ids.size(); from += CHUNK) {
        List<String> chunk = ids.subList(from, Math.min(ids.size(), from + CHUNK));
        String sql = dialect == Dialect.POSTGRESQL
            ? select + " FROM unnest(?::text[]) WITH ORDINALITY AS k(id, ord)"
                + " CROSS JOIN LATERAL (SELECT " + alias + ".* FROM " + table + " WHERE "
                + alias + ".project_id = ? AND " + alias + ".id = k.id" + filter + " LIMIT 1) "
                + alias + " ORDER BY k.ord"
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
