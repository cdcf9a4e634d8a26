package dev.keel.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The grouped queries over raw traces behind daily metrics' rollup: traces by their timestamp,
 * per user, with the usage of their observations per model. A key with a null model holds the
 * traces' own totals (count, observation count and cost kept on the trace row).
 */
final class TraceRollup {

  private static final String RANGE = " t.project_id = ? AND t.timestamp_us >= ?"
      + " AND t.timestamp_us < ?";
  private static final String TOTALS = "SELECT t.user_id, COUNT(*), COALESCE(SUM(t.obs_count),"
      + " 0), COALESCE(SUM(t.total_cost_pico), 0) FROM traces t%s WHERE" + RANGE
      + " GROUP BY t.user_id";
  // A trace has one user, so distinct traces per (user, model) add up across users and hours.
  private static final String MODELS = "SELECT t.user_id, o.model, COUNT(DISTINCT o.trace_id),"
      + " COUNT(*), SUM(o.input_tokens), SUM(o.output_tokens), SUM(o.total_tokens),"
      + " COALESCE(SUM(o.total_cost_pico), 0) FROM traces t%s JOIN observations o%s"
      + " ON o.project_id = t.project_id AND o.trace_id = t.id WHERE" + RANGE
      + " AND o.model IS NOT NULL GROUP BY t.user_id, o.model";

  private TraceRollup() {}

  /** Traces whose timestamp is in [from, to), per user (null for none) and model. */
  static Map<Key, Totals> compute(Connection c, Dialect dialect, String projectId, long from,
      long to) throws SQLException {
    // SQLite has no statistics unless ANALYZE ran, and without them its planner walks the
    // user index (to skip sorting the GROUP BY) or the model index over the whole project
    // instead of the hour's traces: name the indexes. PostgreSQL plans from its statistics.
    boolean pin = dialect == Dialect.SQLITE;
    String totals = TOTALS.formatted(pin ? " INDEXED BY traces_list" : "");
    String models = MODELS.formatted(pin ? " INDEXED BY traces_list" : "",
        pin ? " INDEXED BY observations_trace" : "");
    var out = new LinkedHashMap<Key, Totals>();
    try (PreparedStatement ps = bind(c.prepareStatement(totals), projectId, from, to);
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        out.computeIfAbsent(new Key(rs.getString(1), null), k -> new Totals())
            .add(rs.getLong(2), rs.getLong(3), 0, 0, 0, rs.getLong(4));
      }
    }
    try (PreparedStatement ps = bind(c.prepareStatement(models), projectId, from, to);
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        out.computeIfAbsent(new Key(rs.getString(1), rs.getString(2)), k -> new Totals())
            .add(rs.getLong(3), rs.getLong(4), rs.getLong(5), rs.getLong(6), rs.getLong(7),
                rs.getLong(8));
      }
    }
    return out;
  }

  private static PreparedStatement bind(PreparedStatement ps, String projectId, long from,
      long to) throws SQLException {
    ps.setString(1, projectId);
    ps.setLong(2, from);
    ps.setLong(3, to);
    return ps;
  }

  /** A user (null for traces without one) and a model (null for the traces' own totals). */
  record Key(String userId, String model) {}

  /** Sums of one key; mutable, not thread-safe. */
  static final class Totals {
    static final String COLUMNS = "traces, observations, input_tokens, output_tokens,"
        + " total_tokens, cost_pico";

    long traces;
    long observations;
    long inputTokens;
    long outputTokens;
    long totalTokens;
    long costPico;

    void add(long traces, long observations, long input, long output, long total, long cost) {
      this.traces += traces;
      this.observations += observations;
      this.inputTokens += input;
      this.outputTokens += output;
      this.totalTokens += total;
      this.costPico += cost;
    }

    void addAll(Totals o) {
      add(o.traces, o.observations, o.inputTokens, o.outputTokens, o.totalTokens, o.costPico);
    }

    /** Adds a stored row whose {@link #COLUMNS} start at column {@code i}. */
    void addStored(ResultSet rs, int i) throws SQLException {
      add(rs.getLong(i), rs.getLong(i + 1), rs.getLong(i + 2), rs.getLong(i + 3),
          rs.getLong(i + 4), rs.getLong(i + 5));
    }

    int bind(PreparedStatement ps, int i) throws SQLException {
      for (long v : new long[] {traces, observations, inputTokens, outputTokens, totalTokens,
          costPico}) {
        ps.setLong(i++, v);
      }
      return i;
    }
  }
}
