package dev.keel.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Budgets in {@code budgets}, spend in {@code budget_spend}. Spend is added with an upsert that
 * increments in the database, so instances that flush at the same time never lose an update.
 */
final class JdbcBudgetStore implements BudgetStore {

  private static final String COLUMNS = "id, project_id, scope, subject, model, limit_pico,"
      + " period, anchor_us, soft_limits, created_us, updated_us";
  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
  private static final TypeReference<List<BigDecimal>> DECIMALS = new TypeReference<>() {};

  private final Db db;

  JdbcBudgetStore(Db db) {
    this.db = db;
  }

  @Override
  public BudgetRecord save(BudgetRecord b) {
    String sql = "INSERT INTO budgets (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
        + " ON CONFLICT (project_id, scope, subject, model) DO UPDATE SET"
        + " limit_pico = excluded.limit_pico, period = excluded.period,"
        + " anchor_us = excluded.anchor_us, soft_limits = excluded.soft_limits,"
        + " updated_us = excluded.updated_us";
    return db.write(c -> {
      try (PreparedStatement ps = c.prepareStatement(sql)) {
        bind(ps, b);
        ps.executeUpdate();
      }
      return select(c, "project_id = ? AND scope = ? AND subject = ? AND model = ?",
          b.projectId(), b.scope(), b.subject(), b.model()).get(0);
    });
  }

  @Override
  public Optional<BudgetRecord> find(String id) {
    return db.read(c -> select(c, "id = ?", id).stream().findFirst());
  }

  @Override
  public List<BudgetRecord> list(String projectId) {
    return db.read(c -> select(c, "project_id = ?", projectId));
  }

  @Override
  public boolean delete(String id) {
    return db.write(c -> {
      update(c, "DELETE FROM budget_spend WHERE budget_id = ?", id);
      return update(c, "DELETE FROM budgets WHERE id = ?", id) > 0;
    });
  }

  @Override
  public void addSpend(Collection<SpendDelta> deltas, Instant now) {
    if (deltas.isEmpty()) {
      return;
    }
    String sql = "INSERT INTO budget_spend (budget_id, period_start_us, spent_pico, alerted,"
        + " updated_us) VALUES (?, ?, ?, 0, ?) ON CONFLICT (budget_id, period_start_us)"
        + " DO UPDATE SET spent_pico = budget_spend.spent_pico + excluded.spent_pico,"
        + " updated_us = excluded.updated_us";
    db.write(c -> {
      try (PreparedStatement ps = c.prepareStatement(sql)) {
        for (SpendDelta d : deltas) {
          ps.setString(1, d.budgetId());
          ps.setLong(2, Rows.micros(d.periodStart()));
          ps.setLong(3, d.pico());
          ps.setLong(4, Rows.micros(now));
          ps.addBatch();
        }
        return ps.executeBatch().length;
      }
    });
  }

  @Override
  public long spent(String budgetId, Instant periodStart) {
    String sql = "SELECT spent_pico FROM budget_spend WHERE budget_id = ?"
        + " AND period_start_us = ?";
    return db.read(c -> JdbcTraceStore.query(c, sql, new Where(), rs -> rs.getLong(1),
        budgetId, Rows.micros(periodStart))).stream().findFirst().orElse(0L);
  }

  @Override
  public List<BudgetSpend> history(String budgetId, int limit) {
    if (limit <= 0) {
      throw new IllegalArgumentException("limit must be positive: " + limit);
    }
    String sql = "SELECT budget_id, period_start_us, spent_pico, alerted FROM budget_spend"
        + " WHERE budget_id = ? ORDER BY period_start_us DESC LIMIT " + limit;
    return db.read(c -> JdbcTraceStore.query(c, sql, new Where(),
        rs -> new BudgetSpend(rs.getString(1), Rows.instant(rs.getLong(2)), rs.getLong(3),
            rs.getInt(4)), budgetId));
  }

  @Override
  public boolean markAlerted(String budgetId, Instant periodStart, int index, Instant now) {
    if (index < 0 || index > BudgetRecord.MAX_SOFT_LIMITS) {
      throw new IllegalArgumentException("index must be between 0 and "
          + BudgetRecord.MAX_SOFT_LIMITS + ": " + index);
    }
    int bit = 1 << index;
    long start = Rows.micros(periodStart);
    return db.write(c -> {
      update(c, "INSERT INTO budget_spend (budget_id, period_start_us, spent_pico, alerted,"
          + " updated_us) VALUES (?, ?, 0, 0, ?) ON CONFLICT (budget_id, period_start_us)"
          + " DO NOTHING", budgetId, start, Rows.micros(now));
      // The row lock taken by this UPDATE makes the check-and-set atomic across instances.
      return update(c, "UPDATE budget_spend SET alerted = alerted | ? WHERE budget_id = ?"
          + " AND period_start_us = ? AND (alerted & ?) = 0", bit, budgetId, start, bit) > 0;
    });
  }

  private static void bind(PreparedStatement ps, BudgetRecord b) throws SQLException {
    ps.setString(1, b.id());
    ps.setString(2, b.projectId());
    ps.setString(3, b.scope());
    ps.setString(4, b.subject());
    ps.setString(5, b.model());
    ps.setLong(6, b.limitPico());
    ps.setString(7, b.period());
    ps.setLong(8, Rows.micros(b.anchor()));
    ps.setString(9, b.softLimits().isEmpty() ? null : writeDecimals(b.softLimits()));
    ps.setLong(10, Rows.micros(b.createdAt()));
    ps.setLong(11, Rows.micros(b.updatedAt()));
  }

  private static int update(Connection c, String sql, Object... params) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) {
        ps.setObject(i + 1, params[i]);
      }
      return ps.executeUpdate();
    }
  }

  private static List<BudgetRecord> select(Connection c, String condition, Object... params)
      throws SQLException {
    String sql = "SELECT " + COLUMNS + " FROM budgets WHERE " + condition
        + " ORDER BY scope, subject, model, id";
    return JdbcTraceStore.query(c, sql, new Where(), JdbcBudgetStore::map, params);
  }

  private static BudgetRecord map(ResultSet rs) throws SQLException {
    String soft = rs.getString("soft_limits");
    return new BudgetRecord(rs.getString("id"), rs.getString("project_id"),
        rs.getString("scope"), rs.getString("subject"), rs.getString("model"),
        rs.getLong("limit_pico"), rs.getString("period"), Rows.instant(rs.getLong("anchor_us")),
        soft == null ? List.of() : readDecimals(soft), Rows.instant(rs.getLong("created_us")),
        Rows.instant(rs.getLong("updated_us")));
  }

  private static String writeDecimals(List<BigDecimal> values) {
    try {
      return JSON.writeValueAsString(values.stream().map(BigDecimal::toPlainString).toList())
          .replace("\"", "");
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("soft limits not serializable: " + values, e);
    }
  }

  private static List<BigDecimal> readDecimals(String json) {
    try {
      return JSON.readValue(json, DECIMALS);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("soft_limits is not a JSON array of numbers", e);
    }
  }
}
