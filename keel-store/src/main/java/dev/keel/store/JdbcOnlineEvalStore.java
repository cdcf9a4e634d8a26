package dev.keel.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

/** Online evaluation in the tables of migration V11; times are epoch microseconds. */
final class JdbcOnlineEvalStore implements OnlineEvalStore {

  private static final String RULE_COLUMNS =
      "project_id, name, definition, enabled, source, created_us, updated_us";
  private static final String RESULT_COLUMNS = "project_id, rule, trace_id, scorer, status,"
      + " value, reason, score_id, judge_cost_pico, created_us";

  private final Db db;

  JdbcOnlineEvalStore(Db db) {
    this.db = db;
  }

  @Override
  public List<RuleRow> rules(String projectId) {
    return db.read(c -> JdbcTraceStore.query(c, "SELECT " + RULE_COLUMNS
        + " FROM online_eval_rules WHERE project_id = ? ORDER BY name", new Where(),
        JdbcOnlineEvalStore::rule, projectId));
  }

  @Override
  public Optional<RuleRow> rule(String projectId, String name) {
    return db.read(c -> JdbcTraceStore.query(c, "SELECT " + RULE_COLUMNS
        + " FROM online_eval_rules WHERE project_id = ? AND name = ?", new Where(),
        JdbcOnlineEvalStore::rule, projectId, name)).stream().findFirst();
  }

  @Override
  public boolean insertRule(RuleRow r) {
    return db.write(c -> insert(c, r, " ON CONFLICT (project_id, name) DO NOTHING") > 0);
  }

  @Override
  public void upsertRule(RuleRow r) {
    db.write(c -> insert(c, r, " ON CONFLICT (project_id, name) DO UPDATE SET"
        + " definition = excluded.definition, enabled = excluded.enabled,"
        + " source = excluded.source, updated_us = excluded.updated_us"));
  }

  @Override
  public boolean updateRule(String projectId, String name, String definition, boolean enabled,
      String source, Instant now) {
    return db.write(c -> {
      try (PreparedStatement ps = c.prepareStatement("UPDATE online_eval_rules SET"
          + " definition = ?, enabled = ?, source = ?, updated_us = ?"
          + " WHERE project_id = ? AND name = ?")) {
        ps.setString(1, definition);
        ps.setBoolean(2, enabled);
        ps.setString(3, source);
        ps.setLong(4, Rows.micros(now));
        ps.setString(5, projectId);
        ps.setString(6, name);
        return ps.executeUpdate() > 0;
      }
    });
  }

  @Override
  public boolean setEnabled(String projectId, String name, boolean enabled, Instant now) {
    return db.write(c -> {
      try (PreparedStatement ps = c.prepareStatement("UPDATE online_eval_rules SET"
          + " enabled = ?, updated_us = ? WHERE project_id = ? AND name = ?")) {
        ps.setBoolean(1, enabled);
        ps.setLong(2, Rows.micros(now));
        ps.setString(3, projectId);
        ps.setString(4, name);
        return ps.executeUpdate() > 0;
      }
    });
  }

  @Override
  public boolean deleteRule(String projectId, String name) {
    return db.write(c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "DELETE FROM online_eval_rules WHERE project_id = ? AND name = ?")) {
        ps.setString(1, projectId);
        ps.setString(2, name);
        return ps.executeUpdate() > 0;
      }
    });
  }

  @Override
  public boolean evaluated(String projectId, String rule, String traceId) {
    return !db.read(c -> JdbcTraceStore.query(c, "SELECT 1 FROM online_eval_results"
        + " WHERE project_id = ? AND rule = ? AND trace_id = ? LIMIT 1", new Where(),
        rs -> 1, projectId, rule, traceId)).isEmpty();
  }

  @Override
  public void writeResults(List<Result> results) {
    if (results.isEmpty()) {
      return;
    }
    String sql = "INSERT INTO online_eval_results (" + RESULT_COLUMNS + ")"
        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
        + " ON CONFLICT (project_id, rule, trace_id, scorer) DO UPDATE SET"
        + " status = excluded.status, value = excluded.value, reason = excluded.reason,"
        + " score_id = excluded.score_id, judge_cost_pico = excluded.judge_cost_pico,"
        + " created_us = excluded.created_us";
    db.write(c -> {
      try (PreparedStatement ps = c.prepareStatement(sql)) {
        for (Result r : results) {
          bind(ps, r);
          ps.addBatch();
        }
        ps.executeBatch();
      }
      return null;
    });
  }

  @Override
  public List<Result> results(String projectId, String rule, String traceId, int limit) {
    Where w = new Where().add("project_id = ?", projectId).addIf(rule, "rule = ?")
        .addIf(traceId, "trace_id = ?");
    return db.read(c -> JdbcTraceStore.query(c, "SELECT " + RESULT_COLUMNS
        + " FROM online_eval_results" + w.sql() + " ORDER BY created_us DESC, rule, scorer"
        + " LIMIT ?", w, JdbcOnlineEvalStore::result, limit));
  }

  @Override
  public long addSpend(String projectId, String rule, LocalDate day, long pico) {
    return db.write(c -> {
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO online_eval_spend"
          + " (project_id, rule, day, spend_pico) VALUES (?, ?, ?, ?)"
          + " ON CONFLICT (project_id, rule, day) DO UPDATE SET"
          + " spend_pico = online_eval_spend.spend_pico + excluded.spend_pico")) {
        ps.setString(1, projectId);
        ps.setString(2, rule);
        ps.setString(3, day.toString());
        ps.setLong(4, pico);
        ps.executeUpdate();
      }
      return spendOn(c, projectId, rule, day);
    });
  }

  @Override
  public long spend(String projectId, String rule, LocalDate day) {
    return db.read(c -> spendOn(c, projectId, rule, day));
  }

  private static long spendOn(java.sql.Connection c, String projectId, String rule,
      LocalDate day) throws SQLException {
    List<Long> v = JdbcTraceStore.query(c, "SELECT spend_pico FROM online_eval_spend"
        + " WHERE project_id = ? AND rule = ? AND day = ?", new Where(), rs -> rs.getLong(1),
        projectId, rule, day.toString());
    return v.isEmpty() ? 0 : v.get(0);
  }

  private static int insert(java.sql.Connection c, RuleRow r, String onConflict)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO online_eval_rules ("
        + RULE_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?)" + onConflict)) {
      ps.setString(1, r.projectId());
      ps.setString(2, r.name());
      ps.setString(3, r.definition());
      ps.setBoolean(4, r.enabled());
      ps.setString(5, r.source());
      ps.setLong(6, Rows.micros(r.createdAt()));
      ps.setLong(7, Rows.micros(r.updatedAt()));
      return ps.executeUpdate();
    }
  }

  private static void bind(PreparedStatement ps, Result r) throws SQLException {
    ps.setString(1, r.projectId());
    ps.setString(2, r.rule());
    ps.setString(3, r.traceId());
    ps.setString(4, r.scorer());
    ps.setString(5, r.status());
    if (r.value() == null) {
      ps.setNull(6, Types.DOUBLE);
    } else {
      ps.setDouble(6, r.value());
    }
    ps.setString(7, r.reason());
    ps.setString(8, r.scoreId());
    ps.setLong(9, r.judgeCostPico());
    ps.setLong(10, Rows.micros(r.createdAt()));
  }

  private static RuleRow rule(ResultSet rs) throws SQLException {
    return new RuleRow(rs.getString("project_id"), rs.getString("name"),
        rs.getString("definition"), rs.getBoolean("enabled"), rs.getString("source"),
        Rows.instant(rs.getLong("created_us")), Rows.instant(rs.getLong("updated_us")));
  }

  private static Result result(ResultSet rs) throws SQLException {
    double v = rs.getDouble("value");
    Double value = rs.wasNull() ? null : v;
    return new Result(rs.getString("project_id"), rs.getString("rule"),
        rs.getString("trace_id"), rs.getString("scorer"), rs.getString("status"), value,
        rs.getString("reason"), rs.getString("score_id"), rs.getLong("judge_cost_pico"),
        Rows.instant(rs.getLong("created_us")));
  }
}
