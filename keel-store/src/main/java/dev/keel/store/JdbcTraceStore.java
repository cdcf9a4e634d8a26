package dev.keel.store;

import dev.keel.core.cost.Cost;
import dev.keel.core.trace.Observation;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** The trace store on SQLite or PostgreSQL; the dialect supplies the SQL that differs. */
final class JdbcTraceStore implements TraceStore {

  private static final long MICROS_PER_DAY = 86_400_000_000L;
  // A trace's latency; the latency index of migration V10 is on this very expression.
  private static final String LATENCY_US = "(t.max_end_us - t.min_start_us)";

  private final Db db;
  private final TraceWrites writes;
  private final TraceDeletes deletes;
  // PostgreSQL only: keeps the write path's plans right while the tables grow.
  private final PlannerStatistics statistics;

  JdbcTraceStore(Db db) {
    this.db = db;
    this.writes = new TraceWrites(db.dialect());
    this.deletes = new TraceDeletes(db);
    this.statistics = db.dialect() == Dialect.POSTGRESQL ? new PlannerStatistics(db) : null;
  }

  @Override
  public void write(TraceBatch batch) {
    if (batch.isEmpty()) {
      return;
    }
    db.write(c -> {
      writes.write(c, batch);
      return null;
    });
    if (statistics != null) {
      statistics.written(batch.size());
    }
  }

  @Override
  public List<Observation> awaitingEstimate(String projectId, Collection<String> ids) {
    return ids.isEmpty() ? List.of()
        : db.read(c -> writes.awaitingEstimate(c, projectId, List.copyOf(ids)));
  }

  @Override
  public int delete(String projectId, Collection<String> traceIds) {
    return deletes.delete(projectId, List.copyOf(new java.util.TreeSet<>(traceIds)));
  }

  @Override
  public long deleteOlderThan(java.time.Instant cutoff) {
    return deletes.deleteOlderThan(Rows.micros(cutoff));
  }

  @Override
  public Optional<TraceSummary> findTrace(String projectId, String traceId) {
    String sql = "SELECT " + Rows.TRACE_COLUMNS
        + " FROM traces t WHERE t.project_id = ? AND t.id = ?";
    return db.read(c -> {
      List<TraceSummary> found = query(c, sql, new Where(), Rows::summary, projectId, traceId);
      return found.stream().findFirst();
    });
  }

  @Override
  public List<Observation> observationsOf(String projectId, String traceId) {
    String sql = "SELECT " + Rows.OBSERVATION_COLUMNS + " FROM observations o"
        + " WHERE o.project_id = ? AND o.trace_id = ? ORDER BY o.start_us, o.id";
    return db.read(c -> query(c, sql, new Where(), Rows::observation, projectId, traceId));
  }

  @Override
  public Optional<Observation> findObservation(String projectId, String observationId) {
    String sql = "SELECT " + Rows.OBSERVATION_COLUMNS + " FROM observations o"
        + " WHERE o.project_id = ? AND o.id = ?";
    return db.read(c -> query(c, sql, new Where(), Rows::observation, projectId,
        observationId)).stream().findFirst();
  }

  @Override
  public Map<String, List<String>> observationIds(String projectId,
      Collection<String> traceIds) {
    var result = new LinkedHashMap<String, List<String>>();
    if (traceIds.isEmpty()) {
      return result;
    }
    String marks = String.join(", ", traceIds.stream().map(id -> "?").toList());
    String sql = "SELECT o.trace_id, o.id FROM observations o WHERE o.project_id = ?"
        + " AND o.trace_id IN (" + marks + ") ORDER BY o.trace_id, o.start_us, o.id";
    var params = new ArrayList<Object>();
    params.add(projectId);
    params.addAll(traceIds);
    db.read(c -> query(c, sql, new Where(), rs -> {
      result.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(rs.getString(2));
      return null;
    }, params.toArray()));
    return result;
  }

  @Override
  public Page<TraceSummary> listTraces(TraceQuery q) {
    Where w = traceFilters(q);
    String sql = "SELECT " + Rows.TRACE_COLUMNS + " FROM traces t" + w.sql()
        + " ORDER BY t.timestamp_us DESC, t.id DESC LIMIT ? OFFSET ?";
    return db.read(c -> new Page<>(
        query(c, sql, w, Rows::summary, q.limit(), offset(q.page(), q.limit())),
        q.page(), q.limit(), count(c, "SELECT COUNT(*) FROM traces t" + w.sql(), w)));
  }

  @Override
  public Page<TraceSummary> browseTraces(TraceQuery q, TraceCursor after, long countCap) {
    if (countCap < 0 || countCap == Long.MAX_VALUE) {
      throw new IllegalArgumentException("countCap must be from 0 to " + (Long.MAX_VALUE - 1)
          + ": " + countCap);
    }
    Where w = traceFilters(q);
    // The count reads at most countCap + 1 matching rows, whichever plan answers it.
    String count = "SELECT COUNT(*) FROM (SELECT 1 FROM traces t" + w.sql() + " LIMIT "
        + (countCap + 1) + ") capped";
    Where paged = traceFilters(q);
    if (after != null) {
      long at = Rows.micros(after.timestamp());
      paged.add("(t.timestamp_us < ? OR (t.timestamp_us = ? AND t.id < ?))", at, at,
          after.id());
    }
    String sql = "SELECT " + Rows.TRACE_COLUMNS + " FROM traces t" + paged.sql()
        + " ORDER BY t.timestamp_us DESC, t.id DESC LIMIT ? OFFSET ?";
    int offset = after != null ? 0 : offset(q.page(), q.limit());
    return db.read(c -> new Page<>(query(c, sql, paged, Rows::summary, q.limit(), offset),
        q.page(), q.limit(), count(c, count, w)));
  }

  @Override
  public Page<Observation> listObservations(ObservationQuery q) {
    Where w = new Where().add("o.project_id = ?", q.projectId())
        .addIf(q.traceId(), "o.trace_id = ?")
        .addIf(q.name(), "o.name = ?")
        .addIf(q.type(), "o.type = ?")
        .addIf(q.model(), "o.model = ?")
        .addIf(q.level(), "o.level = ?")
        .addIf(q.userId(), "EXISTS (SELECT 1 FROM traces t WHERE t.project_id = o.project_id"
            + " AND t.id = o.trace_id AND t.user_id = ?)")
        .addIf(micros(q.fromStartTime()), "o.start_us >= ?")
        .addIf(micros(q.toStartTime()), "o.start_us < ?");
    String sql = "SELECT " + Rows.OBSERVATION_COLUMNS + " FROM observations o" + w.sql()
        + " ORDER BY o.start_us DESC, o.id DESC LIMIT ? OFFSET ?";
    return db.read(c -> new Page<>(
        query(c, sql, w, Rows::observation, q.limit(), offset(q.page(), q.limit())),
        q.page(), q.limit(), count(c, "SELECT COUNT(*) FROM observations o" + w.sql(), w)));
  }

  @Override
  public List<DailyMetrics> daily(DailyQuery q) {
    Where w = new Where().add("t.project_id = ?", q.projectId())
        .addIf(q.traceName(), "t.name = ?")
        .addIf(q.userId(), "t.user_id = ?")
        .addIf(micros(q.from()), "t.timestamp_us >= ?")
        .addIf(micros(q.to()), "t.timestamp_us < ?");
    db.dialect().tagsFilter("t.tags", q.tags(), w);
    return db.read(c -> DailyRollup.query(c, w, MICROS_PER_DAY));
  }

  private Where traceFilters(TraceQuery q) {
    Where w = new Where().add("t.project_id = ?", q.projectId())
        .addIf(micros(q.fromTimestamp()), "t.timestamp_us >= ?")
        .addIf(micros(q.toTimestamp()), "t.timestamp_us < ?")
        .addIf(q.userId(), "t.user_id = ?")
        .addIf(q.sessionId(), "t.session_id = ?")
        .addIf(q.name(), "t.name = ?")
        .addIf(q.environment(), "t.environment = ?")
        .addIf(q.model(), anyObservation("o.model = ?"))
        .addIf(q.level(), anyObservation("o.level = ?"))
        .addIf(pico(q.minCostUsd(), RoundingMode.CEILING), "t.total_cost_pico >= ?")
        .addIf(pico(q.maxCostUsd(), RoundingMode.FLOOR), "t.total_cost_pico <= ?")
        .addIf(micros(q.minLatency()), LATENCY_US + " >= ?")
        .addIf(micros(q.maxLatency()), LATENCY_US + " <= ?");
    db.dialect().tagsFilter("t.tags", q.tags(), w);
    return w;
  }

  // The trace id last, so the (project_id, model|level, trace_id) indexes answer the probe.
  private static String anyObservation(String condition) {
    return "EXISTS (SELECT 1 FROM observations o WHERE o.project_id = t.project_id AND "
        + condition + " AND o.trace_id = t.id)";
  }

  static <T> List<T> query(Connection c, String sql, Where w, RowMapper<T> mapper,
      Object... extra) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      int i = w.bind(ps);
      for (Object p : extra) {
        ps.setObject(i++, p);
      }
      try (ResultSet rs = ps.executeQuery()) {
        var out = new ArrayList<T>();
        while (rs.next()) {
          out.add(mapper.map(rs));
        }
        return out;
      }
    }
  }

  private static long count(Connection c, String sql, Where w) throws SQLException {
    return query(c, sql, w, rs -> rs.getLong(1)).get(0);
  }

  private static int offset(int page, int limit) {
    return Math.multiplyExact(page - 1, limit);
  }

  private static Long micros(java.time.Instant t) {
    return Rows.micros(t, true);
  }

  private static Long micros(Duration d) {
    if (d == null) {
      return null;
    }
    long micros = TimeUnit.SECONDS.toMicros(d.getSeconds());
    return micros == Long.MAX_VALUE ? micros : micros + d.getNano() / 1000;
  }

  /** USD to pico-dollars, rounded inward so a bound never admits a cost outside it. */
  private static Long pico(BigDecimal usd, RoundingMode inward) {
    if (usd == null) {
      return null;
    }
    BigDecimal p = usd.movePointRight(12).setScale(0, inward);
    return p.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0 ? Long.MAX_VALUE : p.longValue();
  }

  /** Maps the current row. */
  @FunctionalInterface
  interface RowMapper<T> {
    T map(ResultSet rs) throws SQLException;
  }

  /** The two grouped queries behind daily metrics, joined by day. */
  private static final class DailyRollup {

    static List<DailyMetrics> query(Connection c, Where w, long microsPerDay)
        throws SQLException {
      String day = "t.timestamp_us / " + microsPerDay;
      String totals = "SELECT " + day + " AS d, COUNT(*), COALESCE(SUM(t.obs_count), 0),"
          + " COALESCE(SUM(t.total_cost_pico), 0) FROM traces t" + w.sql()
          + " GROUP BY " + day + " ORDER BY d DESC";
      String byModel = "SELECT " + day + " AS d, o.model, SUM(o.input_tokens),"
          + " SUM(o.output_tokens), SUM(o.total_tokens), COUNT(DISTINCT o.trace_id), COUNT(*),"
          + " COALESCE(SUM(o.total_cost_pico), 0) FROM observations o JOIN traces t"
          + " ON t.project_id = o.project_id AND t.id = o.trace_id" + w.sql()
          + " AND o.model IS NOT NULL GROUP BY " + day + ", o.model ORDER BY d DESC, o.model";
      var usage = new LinkedHashMap<Long, List<DailyMetrics.ModelUsage>>();
      JdbcTraceStore.query(c, byModel, w, rs -> usage
          .computeIfAbsent(rs.getLong(1), k -> new ArrayList<>())
          .add(new DailyMetrics.ModelUsage(rs.getString(2), rs.getLong(3), rs.getLong(4),
              rs.getLong(5), rs.getLong(6), rs.getLong(7), Cost.fromPicoDollars(rs.getLong(8)))));
      return JdbcTraceStore.query(c, totals, w, rs -> new DailyMetrics(
          LocalDate.ofEpochDay(rs.getLong(1)), rs.getLong(2), rs.getLong(3),
          Cost.fromPicoDollars(rs.getLong(4)), usage.getOrDefault(rs.getLong(1), List.of())));
    }
  }
}
