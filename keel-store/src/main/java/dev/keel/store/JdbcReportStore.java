package dev.keel.store;

import dev.keel.core.cost.Cost;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** {@link ReportStore} over JDBC, for SQLite and PostgreSQL. */
final class JdbcReportStore implements ReportStore {

  private final Db db;
  private final CostRollup costs;

  JdbcReportStore(Db db) {
    this.db = db;
    this.costs = new CostRollup(db.dialect());
  }

  @Override
  public List<CostRow> costs(String projectId, CostGroupBy by, Instant from, Instant to) {
    return db.read(c -> costs.rows(c, projectId, by, micros(from), micros(to)));
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

  private static long micros(Instant t) {
    return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000L), t.getNano() / 1000);
  }
}
