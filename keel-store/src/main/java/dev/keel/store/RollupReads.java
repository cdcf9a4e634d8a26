package dev.keel.store;

import static dev.keel.store.RollupRefresh.MICROS_PER_HOUR;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;

/**
 * Reads a time range from the hourly rollups: whole hours from the rollup tables, refreshed
 * first when dirty, and the partial hours at either end from raw rows with the very queries
 * that fill the tables, so that any range gives the numbers the raw rows give.
 */
final class RollupReads {

  private static final String RANGE = " WHERE project_id = ? AND hour >= ? AND hour < ?";

  private final Db db;
  private final CostRollup costs;
  private final RollupRefresh refresh;

  RollupReads(Db db, CostRollup costs) {
    this.db = db;
    this.costs = costs;
    this.refresh = new RollupRefresh(db, costs);
  }

  /** Generations that started in [from, to) microseconds, by hour, model and prompt. */
  void calls(String projectId, long from, long to, Sink<CostRollup.CallKey, GenerationTotals> s) {
    read(projectId, from, to, (c, a, b) -> costs.calls(c, projectId, a, b).forEach(
        (k, v) -> s.accept(hourOf(a), k, v)), (c, a, b) -> {
          String sql = "SELECT hour, model, prompt_name, prompt_version, "
              + GenerationTotals.COLUMNS + ", latency FROM rollup_calls" + RANGE;
          rows(c, sql, projectId, a, b, rs -> {
            var t = new GenerationTotals();
            t.addStored(rs, 5);
            t.latency.addEncoded(rs.getString(15));
            Integer version = rs.getObject(4) == null ? null : rs.getInt(4);
            s.accept(rs.getLong(1), new CostRollup.CallKey(rs.getString(2), rs.getString(3),
                version), t);
          });
        });
  }

  /** Generations that started in [from, to), by hour, model, key, user and team. */
  void spend(String projectId, long from, long to, Sink<CostRollup.SpendKey, GenerationTotals> s) {
    read(projectId, from, to, (c, a, b) -> costs.spend(c, projectId, a, b).forEach(
        (k, v) -> s.accept(hourOf(a), k, v)), (c, a, b) -> {
          String sql = "SELECT hour, model, key_id, user_id, team, " + GenerationTotals.COLUMNS
              + " FROM rollup_spend" + RANGE;
          rows(c, sql, projectId, a, b, rs -> {
            var t = new GenerationTotals();
            t.addStored(rs, 6);
            s.accept(rs.getLong(1), new CostRollup.SpendKey(rs.getString(2), rs.getString(3),
                rs.getString(4), rs.getString(5)), t);
          });
        });
  }

  /**
   * Traces whose timestamp is in [from, to), by hour and model (null for the traces' own
   * totals): the whole project's, or one user's when {@code userId} is not null.
   */
  void traces(String projectId, String userId, long from, long to,
      Sink<String, TraceRollup.Totals> s) {
    read(projectId, from, to, (c, a, b) -> {
      for (Map.Entry<TraceRollup.Key, TraceRollup.Totals> e
          : TraceRollup.compute(c, db.dialect(), projectId, a, b).entrySet()) {
        if (userId == null || userId.equals(e.getKey().userId())) {
          s.accept(hourOf(a), e.getKey().model(), e.getValue());
        }
      }
    }, (c, a, b) -> {
      String sql = "SELECT hour, model, " + TraceRollup.Totals.COLUMNS + " FROM rollup_traces"
          + RANGE + (userId == null ? " AND per_user = FALSE" : " AND user_id = ?");
      rows(c, sql, projectId, a, b, userId, rs -> {
        var t = new TraceRollup.Totals();
        t.addStored(rs, 3);
        s.accept(rs.getLong(1), rs.getString(2), t);
      });
    });
  }

  /**
   * Splits [from, to) into the whole hours, refreshed and read from a table, and the partial
   * hours at its ends, computed from raw rows. Long.MIN_VALUE and Long.MAX_VALUE mean unbounded.
   */
  private void read(String projectId, long from, long to, RangeWork raw, RangeWork whole) {
    if (from >= to) {
      return;
    }
    long a = from == Long.MIN_VALUE ? Math.floorDiv(from, MICROS_PER_HOUR)
        : Math.ceilDiv(from, MICROS_PER_HOUR);
    long b = to == Long.MAX_VALUE ? Math.floorDiv(to, MICROS_PER_HOUR) + 1
        : Math.floorDiv(to, MICROS_PER_HOUR);
    if (a >= b) {
      db.read(c -> {
        raw.run(c, from, to);
        return null;
      });
      return;
    }
    refresh.refresh(projectId, a, b);
    db.read(c -> {
      if (from != Long.MIN_VALUE && from < a * MICROS_PER_HOUR) {
        raw.run(c, from, a * MICROS_PER_HOUR);
      }
      whole.run(c, a, b);
      if (to != Long.MAX_VALUE && b * MICROS_PER_HOUR < to) {
        raw.run(c, b * MICROS_PER_HOUR, to);
      }
      return null;
    });
  }

  private static long hourOf(long micros) {
    return Math.floorDiv(micros, MICROS_PER_HOUR);
  }

  private static void rows(Connection c, String sql, String projectId, long fromHour,
      long toHour, RowWork work) throws SQLException {
    rows(c, sql, projectId, fromHour, toHour, null, work);
  }

  private static void rows(Connection c, String sql, String projectId, long fromHour,
      long toHour, String extra, RowWork work) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, projectId);
      ps.setLong(2, fromHour);
      ps.setLong(3, toHour);
      if (extra != null) {
        ps.setString(4, extra);
      }
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          work.run(rs);
        }
      }
    }
  }

  /** Takes the sums of one key of one hour. */
  @FunctionalInterface
  interface Sink<K, V> {
    void accept(long hour, K key, V totals);
  }

  /** Reads a range of microseconds (raw rows) or of hours (rollup tables). */
  @FunctionalInterface
  private interface RangeWork {
    void run(Connection c, long from, long to) throws SQLException;
  }

  @FunctionalInterface
  private interface RowWork {
    void run(ResultSet rs) throws SQLException;
  }
}
