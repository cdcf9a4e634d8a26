package dev.keel.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Score upserts and row mapping, shared by the trace writer's batches and the score store. */
final class ScoreWrites {

  static final String COLUMNS = "s.project_id, s.id, s.trace_id, s.observation_id,"
      + " s.session_id, s.dataset_run_id, s.name, s.value, s.string_value, s.data_type,"
      + " s.source, s.comment, s.metadata, s.config_id, s.queue_id, s.environment,"
      + " s.timestamp_us";

  // Langfuse keeps id, timestamp, trace and environment as first written.
  private static final String UPSERT = """
      INSERT INTO scores (project_id, id, trace_id, observation_id, session_id, dataset_run_id,
        name, value, string_value, data_type, source, comment, metadata, config_id, queue_id,
        environment, timestamp_us, created_us, updated_us)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (project_id, id) DO UPDATE SET
        observation_id = COALESCE(excluded.observation_id, scores.observation_id),
        session_id = COALESCE(excluded.session_id, scores.session_id),
        dataset_run_id = COALESCE(excluded.dataset_run_id, scores.dataset_run_id),
        name = excluded.name,
        value = excluded.value,
        string_value = excluded.string_value,
        data_type = excluded.data_type,
        source = excluded.source,
        comment = COALESCE(excluded.comment, scores.comment),
        metadata = COALESCE(excluded.metadata, scores.metadata),
        config_id = COALESCE(excluded.config_id, scores.config_id),
        queue_id = COALESCE(excluded.queue_id, scores.queue_id),
        updated_us = excluded.updated_us
      """;

  private ScoreWrites() {
  }

  static void upsert(Connection c, List<Score> scores, long now) throws SQLException {
    if (scores.isEmpty()) {
      return;
    }
    try (PreparedStatement ps = c.prepareStatement(UPSERT)) {
      for (Score s : dedupe(scores)) {
        bind(ps, s, now);
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  // A multi-row upsert may not touch a row twice (PostgreSQL), so repeats are folded first:
  // the last write wins except for the fields kept from the first.
  private static Collection<Score> dedupe(List<Score> scores) {
    Map<String, Score> byKey = new TreeMap<>();
    for (Score s : scores) {
      byKey.merge(s.projectId() + '\n' + s.id(), s, (old, n) -> new Score(n.id(),
          n.projectId(), old.traceId(), or(n.observationId(), old.observationId()),
          or(n.sessionId(), old.sessionId()), or(n.datasetRunId(), old.datasetRunId()),
          n.name(), n.value(), n.stringValue(), n.dataType(), n.source(),
          or(n.comment(), old.comment()), or(n.metadata(), old.metadata()),
          or(n.configId(), old.configId()), or(n.queueId(), old.queueId()), old.environment(),
          old.timestamp()));
    }
    return byKey.values();
  }

  private static void bind(PreparedStatement ps, Score s, long now) throws SQLException {
    ps.setString(1, s.projectId());
    ps.setString(2, s.id());
    ps.setString(3, s.traceId());
    ps.setString(4, s.observationId());
    ps.setString(5, s.sessionId());
    ps.setString(6, s.datasetRunId());
    ps.setString(7, s.name());
    if (s.value() == null) {
      ps.setNull(8, Types.DOUBLE);
    } else {
      ps.setDouble(8, s.value());
    }
    ps.setString(9, s.stringValue());
    ps.setString(10, s.dataType().name());
    ps.setString(11, s.source().name());
    ps.setString(12, s.comment());
    ps.setString(13, NulFree.json(s.metadata()));
    ps.setString(14, s.configId());
    ps.setString(15, s.queueId());
    ps.setString(16, s.environment());
    ps.setLong(17, Rows.micros(s.timestamp()));
    ps.setLong(18, now);
    ps.setLong(19, now);
  }

  static Score score(ResultSet rs) throws SQLException {
    double v = rs.getDouble("value");
    Double value = rs.wasNull() ? null : v;
    return new Score(rs.getString("id"), rs.getString("project_id"), rs.getString("trace_id"),
        rs.getString("observation_id"), rs.getString("session_id"),
        rs.getString("dataset_run_id"), rs.getString("name"), value,
        rs.getString("string_value"), Score.DataType.valueOf(rs.getString("data_type")),
        Score.Source.valueOf(rs.getString("source")), rs.getString("comment"),
        rs.getString("metadata"), rs.getString("config_id"), rs.getString("queue_id"),
        rs.getString("environment"), Rows.instant(rs.getLong("timestamp_us")));
  }

  static long nowMicros() {
    return Rows.micros(Instant.now());
  }

  private static <T> T or(T value, T fallback) {
    return value != null ? value : fallback;
  }
}
