package dev.keel.store;

import dev.keel.core.cost.Cost;
import dev.keel.core.trace.Observation;
import dev.keel.core.trace.Trace;
import dev.keel.core.usage.Usage;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.postgresql.PGStatement;

/**
 * Upserts of traces, observations and scores plus the refresh of trace rollups, in one
 * transaction.
 *
 * <p>The stored rows the batch touches are read first and merged with the batch in memory by
 * Langfuse's rules ({@link RowMerges}): SQL alone cannot deep-merge metadata or tell a
 * provisional row from a created one. That also folds rows with the same id inside one batch,
 * which PostgreSQL needs (a multi-row INSERT may not touch a row twice, and batched inserts are
 * rewritten into multi-row statements). Rows are written in key order so that two Keel
 * instances writing overlapping batches lock rows in the same order and cannot deadlock.
 *
 * <p>The input and output of created observations are not read (see {@link StoredRows}): the
 * upsert keeps the stored ones when the batch leaves them out or sends an empty object, which
 * is Langfuse's rule for those two fields.
 */
final class TraceWrites {

  private static final String TRACE_UPSERT = """
      INSERT INTO traces (project_id, id, name, timestamp_us, user_id, session_id, input,
        output, metadata, tags, release, version, environment, is_public, created_us,
        updated_us)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, %s, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (project_id, id) DO UPDATE SET
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
        updated_us = excluded.updated_us
      """;

  private static final List<String> OBSERVATION_INSERT_COLUMNS = List.of("project_id", "id",
      "trace_id", "parent_id", "type", "name", "start_us", "end_us", "completion_us", "model",
      "model_parameters", "input", "output", "metadata", "level", "status_message",
      "usage_details", "usage_estimated", "cost_details", "input_tokens", "output_tokens",
      "total_tokens", "total_cost_pico", "prompt_name", "prompt_version", "environment",
      "created_us", "updated_us", "provisional");

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

  private static final String OBSERVATION_UPSERT = "INSERT INTO observations ("
      + String.join(", ", OBSERVATION_INSERT_COLUMNS) + ") VALUES ("
      + String.join(", ", Collections.nCopies(OBSERVATION_INSERT_COLUMNS.size(), "?"))
      + ") ON CONFLICT (project_id, id) DO UPDATE SET " + String.join(",\n", OBSERVATION_MERGE);

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
      + " FROM (SELECT " + String.join(", ", OBSERVATION_INSERT_COLUMNS.stream()
          .map(c -> "? AS " + c).toList())
      + ") AS n WHERE observations.project_id = n.project_id AND observations.id = n.id";

  // Only model calls carry a price; a span without cost is not an unknown cost. A trace
  // without observations keeps what it has (its zero defaults for a new one). One statement
  // per trace, by primary key: the planner then probes the (project, trace) index whatever
  // statistics it has, where a grouped UPDATE ... FROM over an array of trace ids scanned every
  // trace of the project when PostgreSQL had no statistics yet (see StoredRows).
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

  // PostgreSQL: the same for all the touched traces of a project in one statement (one round
  // trip instead of one per trace, which the PostgreSQL JDBC driver sends one by one). Each
  // trace is reached from the sorted id array by primary key and its observations through the
  // (project, trace) index, in a LATERAL subquery, so the plan does not depend on statistics
  // (see StoredRows) and rows are locked in id order.
  private static final String ROLLUP_PG = """
      UPDATE traces SET (total_cost_pico, unknown_costs, min_start_us, max_end_us, obs_count) =
        (a.cost, a.unknown, a.min_start, a.max_end, a.n)
      FROM unnest(?::text[]) AS k(id)
      CROSS JOIN LATERAL (SELECT COALESCE(SUM(o.total_cost_pico), 0) AS cost,
            SUM(CASE WHEN o.total_cost_pico IS NULL
              AND o.type IN ('GENERATION', 'EMBEDDING') THEN 1 ELSE 0 END) AS unknown,
            MIN(o.start_us) AS min_start, MAX(o.end_us) AS max_end, COUNT(*) AS n
          FROM observations o WHERE o.project_id = ? AND o.trace_id = k.id) a
      WHERE traces.project_id = ? AND traces.id = k.id AND a.n > 0
      """;

  private final Dialect dialect;
  private final StoredRows stored;

  TraceWrites(Dialect dialect) {
    this.dialect = dialect;
    this.stored = new StoredRows(dialect);
  }

  void write(Connection c, TraceBatch batch) throws SQLException {
    StoredRows.Loaded loaded = stored.forMerge(c, batch);
    Collection<Trace> ts = RowMerges.traces(loaded.traces(), batch);
    Set<String> touched = new HashSet<>();
    Collection<RowMerges.ObservationRow> os = RowMerges.observations(loaded.observations(),
        batch.observations(), batch.observationUpdates(), touched, batch.finisher());
    long now = Rows.micros(Instant.now());
    upsertTraces(c, ts, now);
    writeObservations(c, os, loaded.observations(), now);
    ScoreWrites.upsert(c, batch.scores(), now);
    ts.forEach(t -> touched.add(RowMerges.key(t.projectId(), t.id())));
    os.forEach(r -> touched.add(RowMerges.key(r.observation().projectId(),
        r.observation().traceId())));
    if (dialect == Dialect.POSTGRESQL) {
      refreshRollupsPg(c, RowMerges.byProject(touched));
    } else {
      refreshRollups(c, RowMerges.byProject(touched));
    }
    // Report rollups (owned by RollupRefresh): mark the hours of every touched trace dirty in
    // this transaction. Keep this call in any rewrite of the write path, after the upserts.
    RollupMarks.mark(c, dialect, RowMerges.byProject(touched));
  }

  /** See {@link StoredRows#awaitingEstimate}. */
  List<Observation> awaitingEstimate(Connection c, String projectId, List<String> ids)
      throws SQLException {
    return stored.awaitingEstimate(c, projectId, ids);
  }

  private void upsertTraces(Connection c, Collection<Trace> traces, long now)
      throws SQLException {
    if (traces.isEmpty()) {
      return;
    }
    String sql = TRACE_UPSERT.formatted(dialect.jsonParam(), dialect.tagsUnion());
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      for (Trace t : traces) {
        bindTrace(ps, t, now);
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  private static void bindTrace(PreparedStatement ps, Trace t, long now) throws SQLException {
    ps.setString(1, t.projectId());
    ps.setString(2, t.id());
    ps.setString(3, t.name());
    ps.setLong(4, Rows.micros(t.timestamp()));
    ps.setString(5, t.userId());
    ps.setString(6, t.sessionId());
    ps.setString(7, t.input());
    ps.setString(8, t.output());
    ps.setString(9, NulFree.json(t.metadata()));
    ps.setString(10, Json.writeTags(t.tags()));
    ps.setString(11, t.release());
    ps.setString(12, t.version());
    ps.setString(13, t.environment());
    ps.setBoolean(14, t.isPublic());
    ps.setLong(15, now);
    ps.setLong(16, now);
  }

  private void writeObservations(Connection c, Collection<RowMerges.ObservationRow> rows,
      Map<String, RowMerges.ObservationRow> stored, long now) throws SQLException {
    var upserts = new ArrayList<RowMerges.ObservationRow>(rows.size());
    var inPlace = new ArrayList<RowMerges.ObservationRow>();
    for (RowMerges.ObservationRow row : rows) {
      Observation o = row.observation();
      RowMerges.ObservationRow was = stored.get(RowMerges.key(o.projectId(), o.id()));
      if (dialect == Dialect.SQLITE && was != null && sameIndexed(was.observation(), o)) {
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
        bindObservation(ps, row.observation(), now);
        ps.setBoolean(29, row.provisional());
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  private static void bindObservation(PreparedStatement ps, Observation o, long now)
      throws SQLException {
    ps.setString(1, o.projectId());
    ps.setString(2, o.id());
    ps.setString(3, o.traceId());
    ps.setString(4, o.parentObservationId());
    ps.setString(5, o.type().name());
    ps.setString(6, o.name());
    ps.setLong(7, Rows.micros(o.startTime()));
    Rows.setNullableLong(ps, 8, Rows.micros(o.endTime(), true));
    Rows.setNullableLong(ps, 9, Rows.micros(o.completionStartTime(), true));
    ps.setString(10, o.model());
    ps.setString(11, NulFree.json(o.modelParameters()));
    ps.setString(12, o.input());
    ps.setString(13, o.output());
    ps.setString(14, NulFree.json(o.metadata()));
    ps.setString(15, o.level().name());
    ps.setString(16, o.statusMessage());
    bindUsage(ps, o.usage());
    bindCost(ps, o.cost());
    ps.setString(24, o.promptName());
    if (o.promptVersion() == null) {
      ps.setNull(25, Types.INTEGER);
    } else {
      ps.setInt(25, o.promptVersion());
    }
    ps.setString(26, o.environment());
    ps.setLong(27, now);
    ps.setLong(28, now);
  }

  // Input and output sum every input* and output* key, as Langfuse's legacy usage does.
  private static void bindUsage(PreparedStatement ps, Usage u) throws SQLException {
    ps.setString(17, u.isEmpty() ? null : Json.writeLongs(u.details()));
    ps.setBoolean(18, u.estimated());
    long input = u.promptTokens();
    long output = u.completionTokens();
    ps.setLong(20, input);
    ps.setLong(21, output);
    ps.setLong(22, u.details().containsKey(Usage.TOTAL) ? u.get(Usage.TOTAL) : input + output);
  }

  private static void bindCost(PreparedStatement ps, Cost cost) throws SQLException {
    if (cost == null) {
      ps.setNull(19, Types.VARCHAR);
      ps.setNull(23, Types.BIGINT);
    } else {
      ps.setString(19, Json.writeDecimals(cost.details()));
      ps.setLong(23, Cost.toPicoDollars(cost.total()));
    }
  }

  private static void refreshRollupsPg(Connection c, Map<String, List<String>> byProject)
      throws SQLException {
    for (var e : byProject.entrySet()) {
      try (PreparedStatement ps = c.prepareStatement(ROLLUP_PG)) {
        ps.unwrap(PGStatement.class).setPrepareThreshold(0);
        ps.setArray(1, c.createArrayOf("text", e.getValue().toArray()));
        ps.setString(2, e.getKey());
        ps.setString(3, e.getKey());
        ps.executeUpdate();
      }
    }
  }

  // Batched in (project, trace) order, so that concurrent writers lock traces in one order.
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
