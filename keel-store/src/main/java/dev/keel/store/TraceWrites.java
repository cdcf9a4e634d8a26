package dev.keel.store;

import dev.keel.core.cost.Cost;
import dev.keel.core.trace.Observation;
import dev.keel.core.trace.Trace;
import dev.keel.core.usage.Usage;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Upserts of traces, observations and scores plus the refresh of trace rollups, in one
 * transaction.
 *
 * <p>The stored rows the batch touches are read first and merged with the batch in memory by
 * Langfuse's rules ({@link RowMerges}): SQL alone cannot deep-merge metadata or tell a
 * provisional row from a created one. That also folds rows with the same id inside one batch,
 * which PostgreSQL needs (its upserts take all rows in one INSERT, which may not touch a row
 * twice). On PostgreSQL every trace the batch writes into is locked before anything is read
 * (StoredRows.LOCK_TRACES_PG), and rows are written in key order, so that two Keel instances
 * writing overlapping batches take turns per trace and lock rows in the same order.
 *
 * <p>The input and output of created observations are not read (see {@link StoredRows}): the
 * upsert keeps the stored ones when the batch leaves them out or sends an empty object, which
 * is Langfuse's rule for those two fields.
 */
final class TraceWrites {

  // Columns of an upserted trace, in binding order, with their PostgreSQL types.
  private static final Columns TRACE_INSERT = Columns.of("project_id text", "id text",
      "name text", "timestamp_us int8", "user_id text", "session_id text", "input text",
      "output text", "metadata text", "tags jsonb", "release text", "version text",
      "environment text", "is_public bool", "created_us int8", "updated_us int8");

  // How an incoming trace (excluded.*) merges into the stored one; %s is the tags union.
  private static final String TRACE_MERGE = """
        name = COALESCE(excluded.name, traces.name),
        timestamp_us = excluded.timestamp_us,
        user_id = COALESCE(excluded.user_id, traces.user_id),
        session_id = COALESCE(excluded.session_id, traces.session_id),
        input = COALESCE(excluded.input, traces.input),
        output = COALESCE(excluded.output, traces.output),
        metadata = COALESCE(excluded.metadata, traces.metadata),
        tags = %s,
        release = COALESCE(excluded.release, traces.release),
        version = COALESCE(excluded.version, traces.version),
        environment = excluded.environment,
        is_public = excluded.is_public,
        updated_us = excluded.updated_us""";

  // Columns of an upserted observation, in binding order, with their PostgreSQL types.
  private static final Columns OBSERVATION_INSERT = Columns.of("project_id text", "id text",
      "trace_id text", "parent_id text", "type text", "name text", "start_us int8",
      "end_us int8", "completion_us int8", "model text", "model_parameters text", "input text",
      "output text", "metadata text", "level text", "status_message text", "usage_details text",
      "usage_estimated bool", "cost_details text", "input_tokens int8", "output_tokens int8",
      "total_tokens int8", "total_cost_pico int8", "prompt_name text", "prompt_version int4",
      "environment text", "created_us int8", "updated_us int8", "provisional bool");

  // How an incoming row (excluded.*) merges into the stored one, column by column.
  private static final List<String> OBSERVATION_MERGE = List.of(
      "trace_id = excluded.trace_id",
      "parent_id = COALESCE(excluded.parent_id, observations.parent_id)",
      "type = excluded.type",
      "name = COALESCE(excluded.name, observations.name)",
      "start_us = excluded.start_us",
      "end_us = COALESCE(excluded.end_us, observations.end_us)",
      "completion_us = COALESCE(excluded.completion_us, observations.completion_us)",
      "model = COALESCE(excluded.model, observations.model)",
      "model_parameters = COALESCE(excluded.model_parameters, observations.model_parameters)",
      """
        input = CASE WHEN excluded.input IS NULL OR (excluded.input = '{}'
          AND observations.input IS NOT NULL) THEN observations.input ELSE excluded.input END\
      """,
      """
        output = CASE WHEN excluded.output IS NULL OR (excluded.output = '{}'
          AND observations.output IS NOT NULL) THEN observations.output ELSE excluded.output END\
      """,
      "metadata = COALESCE(excluded.metadata, observations.metadata)",
      "level = excluded.level",
      "status_message = COALESCE(excluded.status_message, observations.status_message)",
      "usage_details = COALESCE(excluded.usage_details, observations.usage_details)",
      """
        usage_estimated = CASE WHEN excluded.usage_details IS NULL
          THEN observations.usage_estimated ELSE excluded.usage_estimated END\
      """,
      """
        input_tokens = CASE WHEN excluded.usage_details IS NULL
          THEN observations.input_tokens ELSE excluded.input_tokens END\
      """,
      """
        output_tokens = CASE WHEN excluded.usage_details IS NULL
          THEN observations.output_tokens ELSE excluded.output_tokens END\
      """,
      """
        total_tokens = CASE WHEN excluded.usage_details IS NULL
          THEN observations.total_tokens ELSE excluded.total_tokens END\
      """,
      "cost_details = COALESCE(excluded.cost_details, observations.cost_details)",
      """
        total_cost_pico = CASE WHEN excluded.cost_details IS NULL
          THEN observations.total_cost_pico ELSE excluded.total_cost_pico END\
      """,
      "prompt_name = COALESCE(excluded.prompt_name, observations.prompt_name)",
      "prompt_version = COALESCE(excluded.prompt_version, observations.prompt_version)",
      "environment = excluded.environment",
      "updated_us = excluded.updated_us",
      "provisional = excluded.provisional");

  private static final String OBSERVATION_UPSERT = upsert(
      OBSERVATION_INSERT.insertValues("observations"), String.join(",\n", OBSERVATION_MERGE));

  // Columns a secondary index of observations holds (migrations V1, V2, V10). SQLite rewrites
  // the entries of every index whose column an UPDATE assigns, even to the value it had: an
  // update event re-assigning them cost six index rewrites per row, most of the writer's time.
  private static final Set<String> OBSERVATION_INDEXED = Set.of("trace_id", "name", "start_us",
      "model", "level");

  // SQLite: a stored row whose indexed columns the merge leaves as they are is updated in place
  // without assigning them, by the same merge rules and binding as the upsert (the incoming row
  // is the one-row subquery n).
  private static final String OBSERVATION_UPDATE_IN_PLACE = "UPDATE observations SET "
      + String.join(",\n", OBSERVATION_MERGE.stream()
          .filter(m -> !OBSERVATION_INDEXED.contains(m.strip().split(" ", 2)[0]))
          .map(m -> m.replace("excluded.", "n."))
          .toList())
      + " FROM (SELECT " + String.join(", ", OBSERVATION_INSERT.names().stream()
          .map(c -> "? AS " + c).toList())
      + ") AS n WHERE observations.project_id = n.project_id AND observations.id = n.id";

  // Only model calls carry a price; a span without cost is not an unknown cost. A trace
  // without observations keeps what it has (its zero defaults for a new one). SQLite: one
  // statement per trace, by primary key, so the planner probes the (project, trace) index
  // whatever statistics it has.
  private static final String ROLLUP = """
      UPDATE traces SET (total_cost_pico, unknown_costs, min_start_us, max_end_us, obs_count) =
        (SELECT COALESCE(SUM(o.total_cost_pico), 0),
            SUM(CASE WHEN o.total_cost_pico IS NULL
              AND o.type IN ('GENERATION', 'EMBEDDING') THEN 1 ELSE 0 END),
            MIN(o.start_us), MAX(o.end_us), COUNT(*)
          FROM observations o WHERE o.project_id = traces.project_id AND o.trace_id = traces.id)
      WHERE project_id = ? AND id = ? AND EXISTS (SELECT 1 FROM observations o
        WHERE o.project_id = traces.project_id AND o.trace_id = traces.id)
      """;

  // PostgreSQL: the same for the touched traces of one project in one statement. Each trace is
  // reached from the sorted id array by primary key and its observations through the (project,
  // trace) index, in a LATERAL subquery, so rows are locked in id order. The project is a
  // single value, not an array beside the ids: the planner takes a key from an array to match
  // 1/200 of a table, which on a table of some thousands of rows made reading all of a
  // project's observations through (project, level, trace) look as cheap as the probe. The
  // cost is held at the column's limit (about 9.2 million USD) rather than failing every later
  // write into the trace (each observation may hold up to a million USD).
  private static final String ROLLUP_PG = """
      UPDATE traces SET (total_cost_pico, unknown_costs, min_start_us, max_end_us, obs_count) =
        (a.cost, a.unknown, a.min_start, a.max_end, a.n)
      FROM unnest(?::text[]) AS k(id)
      CROSS JOIN LATERAL (SELECT LEAST(COALESCE(SUM(o.total_cost_pico), 0),
              9223372036854775807) AS cost,
            SUM(CASE WHEN o.total_cost_pico IS NULL
              AND o.type IN ('GENERATION', 'EMBEDDING') THEN 1 ELSE 0 END) AS unknown,
            MIN(o.start_us) AS min_start, MAX(o.end_us) AS max_end, COUNT(*) AS n
          FROM observations o WHERE o.project_id = ? AND o.trace_id = k.id) a
      WHERE traces.project_id = ? AND traces.id = k.id AND a.n > 0
      """;

  // PostgreSQL: the rollups and rollup marks of one project's touched traces.
  private static final String ROLLUPS_PG = String.join(";\n", ROLLUP_PG,
      RollupMarks.POSTGRESQL);

  // PostgreSQL: everything a batch writes after its merge, as one statement text sent in one
  // round trip, whatever the number of rows: traces, observations, and the rollups and rollup
  // marks of the first project's touched traces (ROLLUPS_PG follows for each other project).
  // Its text never changes, so each connection parses and plans it once (see
  // StoredRows.KEYED_PLANS_PG and PlannerStatistics for why those plans stay right; planning
  // the rollups and marks for every execution instead took 14-18% of the throughput).
  private static final String WRITE_PG = String.join(";\n",
      upsert(TRACE_INSERT.insertUnnest("traces"),
          TRACE_MERGE.formatted(Dialect.POSTGRESQL.tagsUnion())),
      upsert(OBSERVATION_INSERT.insertUnnest("observations"),
          String.join(",\n", OBSERVATION_MERGE)),
      ROLLUPS_PG);

  private final Dialect dialect;
  private final StoredRows stored;
  private final String traceUpsert;

  TraceWrites(Dialect dialect) {
    this.dialect = dialect;
    this.stored = new StoredRows(dialect);
    this.traceUpsert = upsert(TRACE_INSERT.insertValues("traces"),
        TRACE_MERGE.formatted(dialect.tagsUnion()));
  }

  // An INSERT whose row, when its (project_id, id) is stored, merges into it by merge.
  private static String upsert(String insert, String merge) {
    return insert + " ON CONFLICT (project_id, id) DO UPDATE SET " + merge;
  }

  void write(Connection c, TraceBatch batch) throws SQLException {
    StoredRows.Loaded loaded = stored.forMerge(c, batch);
    Collection<Trace> ts = RowMerges.traces(loaded.traces(), batch);
    Set<String> touched = new HashSet<>();
    Collection<RowMerges.ObservationRow> os = RowMerges.observations(loaded.observations(),
        batch.observations(), batch.observationUpdates(), touched, batch.finisher());
    long now = Rows.micros(Instant.now());
    ts.forEach(t -> touched.add(RowMerges.key(t.projectId(), t.id())));
    os.forEach(r -> touched.add(RowMerges.key(r.observation().projectId(),
        r.observation().traceId())));
    if (dialect == Dialect.POSTGRESQL) {
      // The read locked the traces the batch names; a merge can write into one more.
      var unlocked = new HashSet<>(touched);
      unlocked.removeAll(StoredRows.tracesNamed(batch));
      if (!unlocked.isEmpty()) {
        StoredRows.lockTracesPg(c, RowMerges.byProject(unlocked));
      }
      writePg(c, ts, os, RowMerges.byProject(touched), now);
      ScoreWrites.upsert(c, batch.scores(), now);
      return;
    }
    upsertTraces(c, ts, now);
    writeObservations(c, os, loaded.observations(), now);
    ScoreWrites.upsert(c, batch.scores(), now);
    refreshRollups(c, RowMerges.byProject(touched));
    // Report rollups (owned by RollupRefresh): mark the hours of every touched trace dirty in
    // this transaction. Keep this call in any rewrite of the write path, after the upserts.
    RollupMarks.mark(c, RowMerges.byProject(touched));
  }

  /** See {@link StoredRows#awaitingEstimate}. */
  List<Observation> awaitingEstimate(Connection c, String projectId, List<String> ids)
      throws SQLException {
    return stored.awaitingEstimate(c, projectId, ids);
  }

  // touched: the trace ids the batch wrote into, by project, sorted.
  private static void writePg(Connection c, Collection<Trace> traces,
      Collection<RowMerges.ObservationRow> rows, Map<String, List<String>> touched, long now)
      throws SQLException {
    var traceRows = new ArrayList<Object[]>(traces.size());
    traces.forEach(t -> traceRows.add(traceValues(t, now)));
    var observationRows = new ArrayList<Object[]>(rows.size());
    rows.forEach(r -> observationRows.add(observationValues(r, now)));
    var projects = new ArrayList<>(touched.entrySet());
    try (PreparedStatement ps = c.prepareStatement(WRITE_PG)) {
      int p = TRACE_INSERT.bindArrays(c, ps, 1, traceRows);
      p = OBSERVATION_INSERT.bindArrays(c, ps, p, observationRows);
      if (projects.isEmpty()) { // scores only: the rollups run over no trace
        bindRollups(c, ps, p, "", List.of());
      } else {
        bindRollups(c, ps, p, projects.get(0).getKey(), projects.get(0).getValue());
      }
      ps.execute();
    }
    if (projects.size() > 1) {
      try (PreparedStatement ps = c.prepareStatement(ROLLUPS_PG)) {
        for (var e : projects.subList(1, projects.size())) {
          bindRollups(c, ps, 1, e.getKey(), e.getValue());
          ps.execute();
        }
      }
    }
  }

  // ROLLUPS_PG's parameters from {@code first} on: the rollups, then the marks.
  private static void bindRollups(Connection c, PreparedStatement ps, int first, String project,
      List<String> ids) throws SQLException {
    var array = c.createArrayOf("text", ids.toArray(new String[0]));
    ps.setArray(first, array);
    ps.setString(first + 1, project);
    ps.setString(first + 2, project);
    RollupMarks.bindPostgres(ps, first + 3, project, array);
  }

  private void upsertTraces(Connection c, Collection<Trace> traces, long now)
      throws SQLException {
    if (traces.isEmpty()) {
      return;
    }
    try (PreparedStatement ps = c.prepareStatement(traceUpsert)) {
      for (Trace t : traces) {
        Columns.bind(ps, traceValues(t, now));
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  // A trace's values in TRACE_INSERT's order.
  private static Object[] traceValues(Trace t, long now) {
    return new Object[] {t.projectId(), t.id(), t.name(), Rows.micros(t.timestamp()),
        t.userId(), t.sessionId(), t.input(), t.output(), NulFree.json(t.metadata()),
        Json.writeTags(t.tags()), t.release(), t.version(), t.environment(), t.isPublic(), now,
        now};
  }

  private void writeObservations(Connection c, Collection<RowMerges.ObservationRow> rows,
      Map<String, RowMerges.ObservationRow> stored, long now) throws SQLException {
    var upserts = new ArrayList<RowMerges.ObservationRow>(rows.size());
    var inPlace = new ArrayList<RowMerges.ObservationRow>();
    for (RowMerges.ObservationRow row : rows) {
      Observation o = row.observation();
      RowMerges.ObservationRow was = stored.get(RowMerges.key(o.projectId(), o.id()));
      if (was != null && sameIndexed(was.observation(), o)) {
        inPlace.add(row);
      } else {
        upserts.add(row);
      }
    }
    writeObservations(c, OBSERVATION_UPSERT, upserts, now);
    writeObservations(c, OBSERVATION_UPDATE_IN_PLACE, inPlace, now);
  }

  // The values of OBSERVATION_INDEXED, as stored.
  private static boolean sameIndexed(Observation a, Observation b) {
    return a.traceId().equals(b.traceId()) && Objects.equals(a.name(), b.name())
        && Rows.micros(a.startTime()) == Rows.micros(b.startTime())
        && Objects.equals(a.model(), b.model()) && a.level() == b.level();
  }

  private static void writeObservations(Connection c, String sql,
      List<RowMerges.ObservationRow> rows, long now) throws SQLException {
    if (rows.isEmpty()) {
      return;
    }
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      for (RowMerges.ObservationRow row : rows) {
        Columns.bind(ps, observationValues(row, now));
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  // An observation row's values in OBSERVATION_INSERT's order. Input and output tokens sum
  // every input* and output* key, as Langfuse's legacy usage does.
  private static Object[] observationValues(RowMerges.ObservationRow row, long now) {
    Observation o = row.observation();
    Usage u = o.usage();
    long input = u.promptTokens();
    long output = u.completionTokens();
    Cost cost = o.cost();
    return new Object[] {o.projectId(), o.id(), o.traceId(), o.parentObservationId(),
        o.type().name(), o.name(), Rows.micros(o.startTime()), Rows.micros(o.endTime(), true),
        Rows.micros(o.completionStartTime(), true), o.model(), NulFree.json(o.modelParameters()),
        o.input(), o.output(), NulFree.json(o.metadata()), o.level().name(), o.statusMessage(),
        u.isEmpty() ? null : Json.writeLongs(u.details()), u.estimated(),
        cost == null ? null : Json.writeDecimals(cost.details()), input, output,
        u.details().containsKey(Usage.TOTAL) ? u.get(Usage.TOTAL) : input + output,
        cost == null ? null : Cost.toPicoDollars(cost.total()), o.promptName(),
        o.promptVersion(), o.environment(), now, now, row.provisional()};
  }

  // SQLite: one statement per trace, batched in (project, trace) order.
  private static void refreshRollups(Connection c, Map<String, List<String>> byProject)
      throws SQLException {
    if (byProject.isEmpty()) {
      return;
    }
    try (PreparedStatement ps = c.prepareStatement(ROLLUP)) {
      for (var e : byProject.entrySet()) {
        for (String id : e.getValue()) {
          ps.setString(1, e.getKey());
          ps.setString(2, id);
          ps.addBatch();
        }
      }
      ps.executeBatch();
    }
  }
}
