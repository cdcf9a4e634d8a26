package dev.keel.store;

import dev.keel.core.cost.Cost;
import dev.keel.core.trace.Level;
import dev.keel.core.trace.Observation;
import dev.keel.core.trace.ObservationType;
import dev.keel.core.trace.Trace;
import dev.keel.core.usage.Usage;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;

/** Column lists and row mapping for traces and observations; times are epoch microseconds. */
final class Rows {

  static final String TRACE_COLUMNS = "t.project_id, t.id, t.name, t.timestamp_us, t.user_id,"
      + " t.session_id, t.input, t.output, t.metadata, t.tags, t.release, t.version,"
      + " t.environment, t.is_public, t.total_cost_pico, t.unknown_costs, t.min_start_us,"
      + " t.max_end_us, t.obs_count";

  static final String OBSERVATION_COLUMNS = "o.project_id, o.id, o.trace_id, o.parent_id,"
      + " o.type, o.name, o.start_us, o.end_us, o.completion_us, o.model, o.model_parameters,"
      + " o.input, o.output, o.metadata, o.level, o.status_message, o.usage_details,"
      + " o.usage_estimated, o.cost_details, o.prompt_name, o.prompt_version, o.environment";

  private Rows() {
  }

  static long micros(Instant t) {
    return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000L), t.getNano() / 1000);
  }

  static Long micros(Instant t, boolean nullable) {
    return t == null ? null : micros(t);
  }

  static Instant instant(long micros) {
    return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L),
        Math.floorMod(micros, 1_000_000L) * 1000L);
  }

  static Instant instantOrNull(ResultSet rs, String column) throws SQLException {
    long v = rs.getLong(column);
    return rs.wasNull() ? null : instant(v);
  }

  static void setNullableLong(PreparedStatement ps, int i, Long v) throws SQLException {
    if (v == null) {
      ps.setNull(i, Types.BIGINT);
    } else {
      ps.setLong(i, v);
    }
  }

  static TraceSummary summary(ResultSet rs) throws SQLException {
    Trace trace = new Trace(rs.getString("id"), rs.getString("project_id"), rs.getString("name"),
        instant(rs.getLong("timestamp_us")), rs.getString("user_id"),
        rs.getString("session_id"), rs.getString("input"), rs.getString("output"),
        rs.getString("metadata"), Json.readTags(rs.getString("tags")), rs.getString("release"),
        rs.getString("version"), rs.getString("environment"), rs.getBoolean("is_public"));
    Instant minStart = instantOrNull(rs, "min_start_us");
    Instant maxEnd = instantOrNull(rs, "max_end_us");
    Double latency = minStart == null || maxEnd == null
        ? null
        : (micros(maxEnd) - micros(minStart)) / 1e6;
    return new TraceSummary(trace, Cost.fromPicoDollars(rs.getLong("total_cost_pico")),
        rs.getInt("unknown_costs") > 0, latency, rs.getInt("obs_count"));
  }

  static Observation observation(ResultSet rs) throws SQLException {
    String usageJson = rs.getString("usage_details");
    Usage usage = usageJson == null
        ? Usage.NONE
        : new Usage(Json.readLongs(usageJson), rs.getBoolean("usage_estimated"));
    String costJson = rs.getString("cost_details");
    Cost cost = costJson == null ? null : new Cost(Json.readDecimals(costJson));
    int promptVersion = rs.getInt("prompt_version");
    Integer version = rs.wasNull() ? null : promptVersion;
    return new Observation(rs.getString("id"), rs.getString("trace_id"),
        rs.getString("project_id"), rs.getString("parent_id"),
        ObservationType.valueOf(rs.getString("type")), rs.getString("name"),
        instant(rs.getLong("start_us")), instantOrNull(rs, "end_us"),
        instantOrNull(rs, "completion_us"), rs.getString("model"),
        rs.getString("model_parameters"), rs.getString("input"), rs.getString("output"),
        rs.getString("metadata"), Level.valueOf(rs.getString("level")),
        rs.getString("status_message"), usage, cost, rs.getString("prompt_name"), version,
        rs.getString("environment"));
  }
}
