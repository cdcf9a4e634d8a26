package dev.keel.store;

import dev.keel.core.cost.Cost;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Cost reports computed straight from raw rows with the grouped queries Keel used before the
 * hourly rollups: the oracle {@link RollupContract} compares the rollups against.
 */
final class RawCosts {

  private static final long MICROS_PER_DAY = 86_400_000_000L;
  private static final String FROM = " FROM observations o LEFT JOIN traces t"
      + " ON t.project_id = o.project_id AND t.id = o.trace_id"
      + " WHERE o.project_id = ? AND o.type = 'GENERATION' AND o.start_us >= ?"
      + " AND o.start_us < ?";

  private final Dialect dialect;

  RawCosts(Dialect dialect) {
    this.dialect = dialect;
  }

  List<CostRow> rows(Connection c, String projectId, CostGroupBy by, long from, long to)
      throws SQLException {
    String g = group(by);
    String sql = "SELECT " + g + ", o.model, COUNT(*), "
        + "SUM(CASE WHEN o.level = 'ERROR' THEN 1 ELSE 0 END), "
        + "SUM(COALESCE(o.total_cost_pico, 0)), "
        + "SUM(CASE WHEN o.total_cost_pico IS NULL AND o.level <> 'ERROR' THEN 1 ELSE 0 END), "
        + "SUM(o.input_tokens), SUM(o.output_tokens), "
        + "SUM(COALESCE(" + cachedTokens() + ", 0)), "
        + "SUM(CASE WHEN " + cacheHit() + " THEN 1 ELSE 0 END)"
        + FROM + " GROUP BY 1, 2";
    var out = new ArrayList<CostRow>();
    try (PreparedStatement ps = bind(c.prepareStatement(sql), projectId, from, to);
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        out.add(new CostRow(groupValue(by, rs.getString(1)), rs.getString(2), rs.getLong(3),
            rs.getLong(4), Cost.fromPicoDollars(rs.getLong(5)), rs.getLong(6), rs.getLong(7),
            rs.getLong(8), rs.getLong(9), rs.getLong(10), BigDecimal.ZERO, BigDecimal.ZERO));
      }
    }
    var cache = savings(c, projectId, g, by, from, to, "cache_saving_usd", cacheHit());
    var routing = savings(c, projectId, g, by, from, to, "routing_saving_usd",
        json("o.metadata", "routing_saving_usd") + " IS NOT NULL");
    return out.stream().map(r -> r.withSavings(
        cache.getOrDefault(key(r.group(), r.model()), BigDecimal.ZERO),
        routing.getOrDefault(key(r.group(), r.model()), BigDecimal.ZERO))).toList();
  }

  /** Sums a saving kept as a decimal string in the observations' metadata, per group. */
  private Map<String, BigDecimal> savings(Connection c, String projectId, String g,
      CostGroupBy by, long from, long to, String field, String filter) throws SQLException {
    String sql = "SELECT " + g + ", o.model, " + json("o.metadata", field)
        + ", COUNT(*)" + FROM + " AND " + filter + " GROUP BY 1, 2, 3";
    var out = new HashMap<String, BigDecimal>();
    try (PreparedStatement ps = bind(c.prepareStatement(sql), projectId, from, to);
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        BigDecimal each = usd(rs.getString(3));
        out.merge(key(groupValue(by, rs.getString(1)), rs.getString(2)),
            each.multiply(BigDecimal.valueOf(rs.getLong(4))), BigDecimal::add);
      }
    }
    return out;
  }

  /** A saving recorded by another writer may be anything; what is not a number saves 0. */
  private static BigDecimal usd(String text) {
    if (text == null) {
      return BigDecimal.ZERO;
    }
    try {
      return new BigDecimal(text.strip());
    } catch (NumberFormatException e) {
      return BigDecimal.ZERO;
    }
  }

  private static String key(String group, String model) {
    return group + "\u0000" + model;
  }

  private String group(CostGroupBy by) {
    return switch (by) {
      case MODEL -> "o.model";
      case KEY -> json("t.metadata", "keel_key_id");
      case USER -> "COALESCE(" + json("t.metadata", "keel_key_user") + ", t.user_id)";
      case TEAM -> json("t.metadata", "keel_key_team");
      case PROMPT -> prompt();
      // The day stays an epoch-day number in SQL (both dialects agree on integer division)
      // and becomes a date in groupValue.
      case PROMPT_DAY -> "CASE WHEN o.prompt_name IS NULL THEN NULL ELSE " + prompt()
          + " || '|' || CAST(o.start_us / " + MICROS_PER_DAY + " AS TEXT) END";
      case DAY -> "o.start_us / " + MICROS_PER_DAY;
    };
  }

  private static String prompt() {
    return "CASE WHEN o.prompt_name IS NULL THEN NULL ELSE o.prompt_name || ' v' || "
        + "COALESCE(CAST(o.prompt_version AS TEXT), '?') END";
  }

  private static String groupValue(CostGroupBy by, String raw) {
    if (raw == null) {
      return null;
    }
    return switch (by) {
      case DAY -> LocalDate.ofEpochDay(Long.parseLong(raw)).toString();
      case PROMPT_DAY -> {
        int bar = raw.lastIndexOf('|');
        yield raw.substring(0, bar) + " "
            + LocalDate.ofEpochDay(Long.parseLong(raw.substring(bar + 1)));
      }
      default -> raw;
    };
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

  private static PreparedStatement bind(PreparedStatement ps, String projectId, long from,
      long to) throws SQLException {
    ps.setString(1, projectId);
    ps.setLong(2, from);
    ps.setLong(3, to);
    return ps;
  }

  static long micros(Instant t) {
    return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000L), t.getNano() / 1000);
  }
}
