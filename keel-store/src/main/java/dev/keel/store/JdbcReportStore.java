package dev.keel.store;

import dev.keel.core.cost.Cost;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** {@link ReportStore} over JDBC, for SQLite and PostgreSQL, on the hourly rollups. */
final class JdbcReportStore implements ReportStore {

  private static final long HOURS_PER_DAY = 24;

  private final Db db;
  private final CostRollup costs;
  private final RollupReads rollups;

  JdbcReportStore(Db db) {
    this.db = db;
    this.costs = new CostRollup(db.dialect());
    this.rollups = new RollupReads(db, costs);
  }

  @Override
  public List<CostRow> costs(String projectId, CostGroupBy by, Instant from, Instant to) {
    var groups = new LinkedHashMap<List<String>, GenerationTotals>();
    switch (by) {
      case KEY, USER, TEAM -> rollups.spend(projectId, micros(from), micros(to),
          (hour, k, t) -> add(groups, spendGroup(by, k), k.model(), t));
      default -> rollups.calls(projectId, micros(from), micros(to),
          (hour, k, t) -> add(groups, callGroup(by, hour, k), k.model(), t));
    }
    var out = new ArrayList<CostRow>();
    groups.forEach((k, t) -> out.add(t.toCostRow(k.get(0), k.get(1))));
    return out;
  }

  @Override
  public List<CallStats> calls(String projectId, Instant from, Instant to) {
    var groups = new LinkedHashMap<CostRollup.CallKey, GenerationTotals>();
    rollups.calls(projectId, micros(from), micros(to),
        (hour, k, t) -> groups.computeIfAbsent(k, x -> new GenerationTotals()).addAll(t));
    var out = new ArrayList<CallStats>();
    groups.forEach((k, t) -> out.add(new CallStats(k.model(), k.promptName(),
        k.promptVersion(), t.generations, t.errors, Cost.fromPicoDollars(t.costPico),
        t.latency)));
    return out;
  }

  @Override
  public List<DailyMetrics> daily(DailyQuery q) {
    if (q.traceName() != null || !q.tags().isEmpty()) {
      throw new IllegalArgumentException("daily metrics from rollups filter by user and time"
          + " only, not by trace name or tags: " + q.traceName() + " " + q.tags());
    }
    long from = q.from() == null ? Long.MIN_VALUE : micros(q.from());
    long to = q.to() == null ? Long.MAX_VALUE : micros(q.to());
    // day -> model (null for the traces' own totals) -> sums
    var days = new TreeMap<Long, Map<String, TraceRollup.Totals>>(Comparator.reverseOrder());
    rollups.traces(q.projectId(), q.userId(), from, to, (hour, model, t) -> days
        .computeIfAbsent(Math.floorDiv(hour, HOURS_PER_DAY), d -> new TreeMap<>(
            Comparator.nullsFirst(Comparator.naturalOrder())))
        .computeIfAbsent(model, m -> new TraceRollup.Totals()).addAll(t));
    var out = new ArrayList<DailyMetrics>();
    days.forEach((day, models) -> {
      TraceRollup.Totals totals = models.get(null);
      if (totals == null || totals.traces == 0) {
        return;
      }
      var usage = new ArrayList<DailyMetrics.ModelUsage>();
      models.forEach((m, t) -> {
        if (m != null) {
          usage.add(new DailyMetrics.ModelUsage(m, t.inputTokens, t.outputTokens,
              t.totalTokens, t.traces, t.observations, Cost.fromPicoDollars(t.costPico)));
        }
      });
      out.add(new DailyMetrics(LocalDate.ofEpochDay(day), totals.traces, totals.observations,
          Cost.fromPicoDollars(totals.costPico), usage));
    });
    return out;
  }

  @Override
  public CallHealth health(Instant from, Instant to) {
    return db.read(c -> costs.health(c, micros(from), micros(to)));
  }

  @Override
  public List<PromptVersionStats> promptVersions(String projectId, String name, Instant from,
      Instant to) {
    // The schema check is a boolean in the observation's metadata JSON; each dialect reads it
    // its own way (SQLite's json_extract gives 1/0, PostgreSQL's ->> gives 'true'/'false').
    String valid = db.dialect() == Dialect.SQLITE
        ? "json_extract(metadata, '$.schema_valid')"
        : "(CASE WHEN metadata IS NULL THEN NULL ELSE (metadata::jsonb ->> 'schema_valid') END)";
    String failed = db.dialect() == Dialect.SQLITE ? valid + " = 0" : valid + " = 'false'";
    String sql = "SELECT prompt_version, COUNT(*), "
        + "SUM(CASE WHEN level = 'ERROR' THEN 1 ELSE 0 END), "
        + "SUM(COALESCE(total_cost_pico, 0)), "
        + "SUM(CASE WHEN total_cost_pico IS NULL AND level <> 'ERROR' THEN 1 ELSE 0 END), "
        + "AVG(CASE WHEN end_us IS NULL THEN NULL ELSE end_us - start_us END), "
        + "SUM(input_tokens), SUM(output_tokens), "
        + "SUM(CASE WHEN " + valid + " IS NOT NULL THEN 1 ELSE 0 END), "
        + "SUM(CASE WHEN " + failed + " THEN 1 ELSE 0 END) "
        + "FROM observations WHERE project_id = ? AND prompt_name = ? AND type = 'GENERATION' "
        + "AND start_us >= ? AND start_us < ? GROUP BY prompt_version ORDER BY prompt_version";
    return db.read(c -> {
      try (PreparedStatement ps = c.prepareStatement(sql)) {
        ps.setString(1, projectId);
        ps.setString(2, name);
        ps.setLong(3, micros(from));
        ps.setLong(4, micros(to));
        var out = new ArrayList<PromptVersionStats>();
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            out.add(new PromptVersionStats(rs.getInt(1), rs.getLong(2), rs.getLong(3),
                Cost.fromPicoDollars(rs.getLong(4)), rs.getLong(5), rs.getDouble(6) / 1000.0,
                rs.getLong(7), rs.getLong(8), rs.getLong(9), rs.getLong(10)));
          }
        }
        return out;
      }
    });
  }

  private static void add(Map<List<String>, GenerationTotals> groups, String group,
      String model, GenerationTotals t) {
    groups.computeIfAbsent(java.util.Arrays.asList(group, model), k -> new GenerationTotals())
        .addAll(t);
  }

  private static String spendGroup(CostGroupBy by, CostRollup.SpendKey k) {
    return switch (by) {
      case KEY -> k.keyId();
      case USER -> k.userId();
      case TEAM -> k.team();
      default -> throw new IllegalArgumentException("not a spend grouping: " + by);
    };
  }

  private static String callGroup(CostGroupBy by, long hour, CostRollup.CallKey k) {
    String prompt = k.promptName() == null ? null : k.promptName() + " v"
        + (k.promptVersion() == null ? "?" : k.promptVersion());
    LocalDate day = LocalDate.ofEpochDay(Math.floorDiv(hour, HOURS_PER_DAY));
    return switch (by) {
      case MODEL -> k.model();
      case PROMPT -> prompt;
      case DAY -> day.toString();
      case PROMPT_DAY -> prompt == null ? null : prompt + " " + day;
      default -> throw new IllegalArgumentException("not a call grouping: " + by);
    };
  }

  private static long micros(Instant t) {
    return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000L), t.getNano() / 1000);
  }
}
