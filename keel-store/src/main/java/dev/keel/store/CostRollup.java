package dev.keel.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The grouped queries over raw generations behind the cost rollups, and health alerts, in both
 * dialects. Keys, users and teams are read from the trace's metadata, where the gateway puts
 * them ({@code keel_key_id}, {@code keel_key_user}, {@code keel_key_team}); cache hits and
 * their savings from the observation's metadata ({@code cache_hit}, {@code cache_saving_usd}).
 *
 * <p>Savings are decimal text, summed exactly in Java: each query also groups by the savings
 * text, which is almost always absent, so that costs little.
 */
final class CostRollup {

  private static final String WHERE = " WHERE o.project_id = ? AND o.type = 'GENERATION'"
      + " AND o.start_us >= ? AND o.start_us < ?";

  private final Dialect dialect;

  CostRollup(Dialect dialect) {
    this.dialect = dialect;
  }

  /** Generations that started in [from, to), per model and prompt version, with latency. */
  Map<CallKey, GenerationTotals> calls(Connection c, String projectId, long from, long to)
      throws SQLException {
    String bucket = "CASE WHEN o.end_us IS NULL THEN NULL ELSE "
        + LatencyHistogram.bucketSql("(o.end_us - o.start_us)") + " END";
    String sql = "SELECT o.model, o.prompt_name, o.prompt_version, " + bucket + ", "
        + savings() + measures() + " FROM observations o" + byStart() + WHERE
        + " GROUP BY 1, 2, 3, 4, 5, 6";
    var out = new LinkedHashMap<CallKey, GenerationTotals>();
    query(c, sql, projectId, from, to, rs -> {
      Integer version = rs.getObject(3) == null ? null : rs.getInt(3);
      GenerationTotals t = out.computeIfAbsent(
          new CallKey(rs.getString(1), rs.getString(2), version), k -> new GenerationTotals());
      t.addRaw(rs, 7, rs.getString(5), rs.getString(6));
      if (rs.getObject(4) != null) {
        t.latency.add(rs.getInt(4), rs.getLong(7));
      }
    });
    return out;
  }

  /** Generations that started in [from, to), per model and their trace's key, user and team. */
  Map<SpendKey, GenerationTotals> spend(Connection c, String projectId, long from, long to)
      throws SQLException {
    String sql = "SELECT o.model, " + json("t.metadata", "keel_key_id") + ", COALESCE("
        + json("t.metadata", "keel_key_user") + ", t.user_id), "
        + json("t.metadata", "keel_key_team") + ", " + savings() + measures()
        + " FROM observations o" + byStart() + " LEFT JOIN traces t"
        + " ON t.project_id = o.project_id AND t.id = o.trace_id" + WHERE
        + " GROUP BY 1, 2, 3, 4, 5, 6";
    var out = new LinkedHashMap<SpendKey, GenerationTotals>();
    query(c, sql, projectId, from, to, rs -> out.computeIfAbsent(new SpendKey(rs.getString(1),
        rs.getString(2), rs.getString(3), rs.getString(4)), k -> new GenerationTotals())
        .addRaw(rs, 7, rs.getString(5), rs.getString(6)));
    return out;
  }

  CallHealth health(Connection c, long from, long to) throws SQLException {
    // Only the gateway's own calls (they carry client_format): generations ingested from
    // applications' SDKs report on those applications, not on Keel.
    String where = " FROM observations WHERE type = 'GENERATION' AND start_us >= ?"
        + " AND start_us < ? AND end_us IS NOT NULL AND "
        + json("metadata", "client_format") + " IS NOT NULL";
    long calls;
    long errors;
    try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*), "
        + "SUM(CASE WHEN level = 'ERROR' THEN 1 ELSE 0 END)" + where)) {
      ps.setLong(1, from);
      ps.setLong(2, to);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        calls = rs.getLong(1);
        errors = rs.getLong(2);
      }
    }
    if (calls == 0) {
      return new CallHealth(0, 0, 0);
    }
    // The nearest-rank percentile: the value at rank ceil(0.95 n), read with one OFFSET.
    long rank = (long) Math.ceil(calls * 0.95);
    try (PreparedStatement ps = c.prepareStatement("SELECT end_us - start_us" + where
        + " ORDER BY 1 LIMIT 1 OFFSET ?")) {
      ps.setLong(1, from);
      ps.setLong(2, to);
      ps.setLong(3, rank - 1);
      try (ResultSet rs = ps.executeQuery()) {
        long p95 = rs.next() ? rs.getLong(1) / 1000 : 0;
        return new CallHealth(calls, errors, p95);
      }
    }
  }

  /**
   * On SQLite, the index on start time by name: without statistics (no ANALYZE) its planner
   * may pick another index that covers the project and scan all of it.
   */
  private String byStart() {
    return dialect == Dialect.SQLITE ? " INDEXED BY observations_list" : "";
  }

  private String savings() {
    return "CASE WHEN " + cacheHit() + " THEN " + json("o.metadata", "cache_saving_usd")
        + " END, " + json("o.metadata", "routing_saving_usd") + ", ";
  }

  private String measures() {
    return GenerationTotals.RAW_MEASURES + "SUM(COALESCE(" + cachedTokens() + ", 0)), "
        + "SUM(CASE WHEN " + cacheHit() + " THEN 1 ELSE 0 END)";
  }

  private static void query(Connection c, String sql, String projectId, long from, long to,
      RowSink sink) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, projectId);
      ps.setLong(2, from);
      ps.setLong(3, to);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          sink.accept(rs);
        }
      }
    }
  }

  private String cacheHit() {
    return dialect == Dialect.SQLITE ? "json_extract(o.metadata, '$.cache_hit') = 1"
        : "(o.metadata::jsonb ->> 'cache_hit') = 'true'";
  }

  private String cachedTokens() {
    return dialect == Dialect.SQLITE ? "json_extract(o.usage_details, '$.input_cached_tokens')"
        : "CAST(o.usage_details::jsonb ->> 'input_cached_tokens' AS BIGINT)";
  }

  /** The text of a top-level field of a JSON object column; null when absent. */
  private String json(String column, String field) {
    return dialect == Dialect.SQLITE
        ? "CAST(json_extract(" + column + ", '$." + field + "') AS TEXT)"
        : "(" + column + "::jsonb ->> '" + field + "')";
  }

  /** A rollup_calls key: model and prompt version, each possibly null. */
  record CallKey(String model, String promptName, Integer promptVersion) {}

  /** A rollup_spend key: model, key id, user and team, each possibly null. */
  record SpendKey(String model, String keyId, String userId, String team) {}

  /** Takes one result row. */
  @FunctionalInterface
  private interface RowSink {
    void accept(ResultSet rs) throws SQLException;
  }
}
