package dev.keel.store;

import dev.keel.core.cost.Cost;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@link RoutingStore} over JDBC, for SQLite and PostgreSQL. The eval run of a scored trace is
 * {@code eval_run} in the trace's metadata (set by {@code keel eval run}); the run's dataset is
 * {@code eval_run_info.dataset} on the run's own trace, {@code eval-run-<run>}. Route, tier and
 * saving are in the generation's metadata, where the gateway puts them.
 */
final class JdbcRoutingStore implements RoutingStore {

  private final Db db;

  JdbcRoutingStore(Db db) {
    this.db = db;
  }

  @Override
  public List<ModelScore> modelScores(String metric, Instant since) {
    // DISTINCT: a trace where the same model answered twice (a retry, a repair) is one score.
    // Kind: an eval run's; online evaluation's (source EVAL, written by a rule); else the source.
    String run = json("t.metadata", "eval_run");
    String kind = "CASE WHEN " + run + " IS NOT NULL THEN '" + ModelScore.EVAL_RUN + "'"
        + " WHEN s.source = 'EVAL' AND " + json("s.metadata", "online_eval_rule")
        + " IS NOT NULL THEN '" + ModelScore.ONLINE + "' ELSE LOWER(s.source) END";
    String sql = "SELECT model, run, kind, COUNT(*), AVG(value), MAX(ts) FROM ("
        + "SELECT DISTINCT s.project_id AS pid, s.id AS sid, s.value AS value,"
        + " s.timestamp_us AS ts, o.model AS model, " + run + " AS run, " + kind
        + " AS kind FROM scores s"
        + " JOIN observations o ON o.project_id = s.project_id AND o.trace_id = s.trace_id"
        + " AND (s.observation_id IS NULL OR o.id = s.observation_id)"
        + " LEFT JOIN traces t ON t.project_id = s.project_id AND t.id = s.trace_id"
        + " WHERE s.name = ? AND s.timestamp_us >= ? AND s.value IS NOT NULL"
        + " AND s.data_type IN ('NUMERIC', 'BOOLEAN') AND o.type = 'GENERATION'"
        + " AND o.level <> 'ERROR' AND o.model IS NOT NULL) x GROUP BY model, run, kind"
        + " ORDER BY model, run, kind";
    return db.read(c -> {
      var rows = new ArrayList<Object[]>();
      try (PreparedStatement ps = c.prepareStatement(sql)) {
        ps.setString(1, metric);
        ps.setLong(2, Rows.micros(since));
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            rows.add(new Object[] {rs.getString(1), rs.getString(2), rs.getLong(4),
                rs.getDouble(5), rs.getLong(6), rs.getString(3)});
          }
        }
      }
      Map<String, String> datasets = datasets(c, rows);
      var out = new ArrayList<ModelScore>();
      for (Object[] r : rows) {
        String runName = (String) r[1];
        out.add(new ModelScore((String) r[0], runName, runName == null ? null
            : datasets.get(runName), (Long) r[2], (Double) r[3], Rows.instant((Long) r[4]),
            (String) r[5]));
      }
      return out;
    });
  }

  @Override
  public List<RoutedCalls> routedCalls(String projectId, Instant from, Instant to) {
    String route = json("o.metadata", "routing_route");
    String sql = "SELECT " + route + ", " + json("o.metadata", "routing_tier") + ", o.model, "
        + json("o.metadata", "routing_saving_usd") + ", COUNT(*), "
        + "SUM(CASE WHEN o.level = 'ERROR' THEN 1 ELSE 0 END), "
        + "SUM(COALESCE(o.total_cost_pico, 0)), "
        + "SUM(CASE WHEN o.total_cost_pico IS NULL AND o.level <> 'ERROR' THEN 1 ELSE 0 END)"
        + " FROM observations o WHERE o.project_id = ? AND o.type = 'GENERATION'"
        + " AND o.start_us >= ? AND o.start_us < ? AND " + route + " IS NOT NULL"
        + " GROUP BY 1, 2, 3, 4";
    return db.read(c -> {
      // Savings are decimal text in the metadata: summed here, exactly, per distinct value.
      Map<List<String>, RoutedCalls> sums = new LinkedHashMap<>();
      try (PreparedStatement ps = c.prepareStatement(sql)) {
        ps.setString(1, projectId);
        ps.setLong(2, Rows.micros(from));
        ps.setLong(3, Rows.micros(to));
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            long n = rs.getLong(5);
            var row = new RoutedCalls(rs.getString(1), rs.getString(2), rs.getString(3), n,
                rs.getLong(6), Cost.fromPicoDollars(rs.getLong(7)), rs.getLong(8),
                usd(rs.getString(4)).multiply(BigDecimal.valueOf(n)));
            sums.merge(List.of(row.route(), String.valueOf(row.tier()),
                String.valueOf(row.model())), row, JdbcRoutingStore::add);
          }
        }
      }
      return List.copyOf(sums.values());
    });
  }

  private Map<String, String> datasets(Connection c, List<Object[]> rows) throws SQLException {
    Map<String, String> out = new HashMap<>();
    String sql = "SELECT " + json("metadata", "eval_run_info", "dataset")
        + " FROM traces WHERE id = ?";
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      for (Object[] r : rows) {
        String run = (String) r[1];
        if (run == null || out.containsKey(run)) {
          continue;
        }
        ps.setString(1, "eval-run-" + run);
        try (ResultSet rs = ps.executeQuery()) {
          out.put(run, rs.next() ? rs.getString(1) : null);
        }
      }
    }
    return out;
  }

  private static RoutedCalls add(RoutedCalls a, RoutedCalls b) {
    return new RoutedCalls(a.route(), a.tier(), a.model(), a.calls() + b.calls(),
        a.errors() + b.errors(), a.costUsd().add(b.costUsd()), a.unknownCost() + b.unknownCost(),
        a.savingUsd().add(b.savingUsd()));
  }

  private static BigDecimal usd(String text) {
    if (text == null || text.isBlank()) {
      return BigDecimal.ZERO;
    }
    try {
      return new BigDecimal(text.strip());
    } catch (NumberFormatException e) {
      return BigDecimal.ZERO; // written by someone else's SDK: not Keel's saving
    }
  }

  private String json(String column, String... path) {
    if (db.dialect() == Dialect.SQLITE) {
      return "CAST(json_extract(" + column + ", '$." + String.join(".", path) + "') AS TEXT)";
    }
    return "(" + column + "::jsonb #>> '{" + String.join(",", path) + "}')";
  }
}
