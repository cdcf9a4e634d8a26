package dev.keel.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Scores and score configs on SQLite or PostgreSQL. */
final class JdbcScoreStore implements ScoreStore {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String CONFIG_COLUMNS = "project_id, id, name, data_type, min_value,"
      + " max_value, categories, description, is_archived, created_us, updated_us";

  private final Db db;

  JdbcScoreStore(Db db) {
    this.db = db;
  }

  @Override
  public void write(List<Score> scores) {
    if (scores.isEmpty()) {
      return;
    }
    db.write(c -> {
      ScoreWrites.upsert(c, scores, ScoreWrites.nowMicros());
      return null;
    });
  }

  @Override
  public Optional<Score> find(String projectId, String scoreId) {
    String sql = "SELECT " + ScoreWrites.COLUMNS + " FROM scores s"
        + " WHERE s.project_id = ? AND s.id = ?";
    return db.read(c -> JdbcTraceStore.query(c, sql, new Where(), ScoreWrites::score,
        projectId, scoreId).stream().findFirst());
  }

  @Override
  public Page<Score> list(ScoreQuery q) {
    Where w = new Where().add("s.project_id = ?", q.projectId())
        .addIf(q.traceId(), "s.trace_id = ?")
        .addIf(q.observationId(), "s.observation_id = ?")
        .addIf(q.sessionId(), "s.session_id = ?")
        .addIf(q.name(), "s.name = ?")
        .addIf(q.source(), "s.source = ?")
        .addIf(q.dataType(), "s.data_type = ?")
        .addIf(q.configId(), "s.config_id = ?")
        .addIf(q.environment(), "s.environment = ?")
        .addIf(q.userId(), "EXISTS (SELECT 1 FROM traces t WHERE t.project_id = s.project_id"
            + " AND t.id = s.trace_id AND t.user_id = ?)")
        .addIf(Rows.micros(q.fromTimestamp(), true), "s.timestamp_us >= ?")
        .addIf(Rows.micros(q.toTimestamp(), true), "s.timestamp_us < ?");
    if (!q.scoreIds().isEmpty()) {
      w.add("s.id IN (" + marks(q.scoreIds().size()) + ")", q.scoreIds().toArray());
    }
    String sql = "SELECT " + ScoreWrites.COLUMNS + " FROM scores s" + w.sql()
        + " ORDER BY s.timestamp_us DESC, s.id DESC LIMIT ? OFFSET ?";
    return db.read(c -> new Page<>(
        JdbcTraceStore.query(c, sql, w, ScoreWrites::score, q.limit(),
            (q.page() - 1) * q.limit()),
        q.page(), q.limit(), JdbcTraceStore.query(c, "SELECT COUNT(*) FROM scores s" + w.sql(),
            w, rs -> rs.getLong(1)).get(0)));
  }

  @Override
  public Map<String, List<Score>> scoresOfTraces(String projectId, Collection<String> traceIds) {
    var out = new LinkedHashMap<String, List<Score>>();
    if (traceIds.isEmpty()) {
      return out;
    }
    Where w = new Where().add("s.project_id = ?", projectId)
        .add("s.trace_id IN (" + marks(traceIds.size()) + ")", traceIds.toArray());
    String sql = "SELECT " + ScoreWrites.COLUMNS + " FROM scores s" + w.sql()
        + " ORDER BY s.timestamp_us, s.id";
    db.read(c -> JdbcTraceStore.query(c, sql, w, ScoreWrites::score)).forEach(
        s -> out.computeIfAbsent(s.traceId(), k -> new ArrayList<>()).add(s));
    return out;
  }

  @Override
  public boolean delete(String projectId, String scoreId) {
    return db.write(c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "DELETE FROM scores WHERE project_id = ? AND id = ?")) {
        ps.setString(1, projectId);
        ps.setString(2, scoreId);
        return ps.executeUpdate() > 0;
      }
    });
  }

  @Override
  public void createConfig(ScoreConfig sc) {
    String sql = "INSERT INTO score_configs (" + CONFIG_COLUMNS
        + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    db.write(c -> {
      try (PreparedStatement ps = c.prepareStatement(sql)) {
        ps.setString(1, sc.projectId());
        ps.setString(2, sc.id());
        ps.setString(3, sc.name());
        ps.setString(4, sc.dataType().name());
        setDouble(ps, 5, sc.minValue());
        setDouble(ps, 6, sc.maxValue());
        ps.setString(7, sc.categories().isEmpty() ? null : write(sc.categories()));
        ps.setString(8, sc.description());
        ps.setBoolean(9, sc.archived());
        ps.setLong(10, Rows.micros(sc.createdAt()));
        ps.setLong(11, Rows.micros(sc.updatedAt()));
        return ps.executeUpdate();
      }
    });
  }

  @Override
  public Optional<ScoreConfig> findConfig(String projectId, String configId) {
    String sql = "SELECT " + CONFIG_COLUMNS + " FROM score_configs"
        + " WHERE project_id = ? AND id = ?";
    return db.read(c -> JdbcTraceStore.query(c, sql, new Where(), JdbcScoreStore::config,
        projectId, configId).stream().findFirst());
  }

  @Override
  public Page<ScoreConfig> listConfigs(String projectId, int page, int limit) {
    Queries.checkPaging(page, limit);
    Where w = new Where().add("project_id = ?", projectId);
    String sql = "SELECT " + CONFIG_COLUMNS + " FROM score_configs" + w.sql()
        + " ORDER BY created_us DESC, id DESC LIMIT ? OFFSET ?";
    return db.read(c -> new Page<>(
        JdbcTraceStore.query(c, sql, w, JdbcScoreStore::config, limit, (page - 1) * limit),
        page, limit, JdbcTraceStore.query(c, "SELECT COUNT(*) FROM score_configs" + w.sql(), w,
            rs -> rs.getLong(1)).get(0)));
  }

  private static ScoreConfig config(ResultSet rs) throws SQLException {
    double min = rs.getDouble("min_value");
    Double minValue = rs.wasNull() ? null : min;
    double max = rs.getDouble("max_value");
    Double maxValue = rs.wasNull() ? null : max;
    String cats = rs.getString("categories");
    return new ScoreConfig(rs.getString("id"), rs.getString("project_id"),
        rs.getString("name"), Score.DataType.valueOf(rs.getString("data_type")), minValue,
        maxValue, cats == null ? List.of() : readCategories(cats),
        rs.getString("description"), rs.getBoolean("is_archived"),
        Rows.instant(rs.getLong("created_us")), Rows.instant(rs.getLong("updated_us")));
  }

  private static void setDouble(PreparedStatement ps, int i, Double v) throws SQLException {
    if (v == null) {
      ps.setNull(i, Types.DOUBLE);
    } else {
      ps.setDouble(i, v);
    }
  }

  private static String marks(int n) {
    return String.join(", ", java.util.Collections.nCopies(n, "?"));
  }

  private static String write(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write JSON of " + value.getClass(), e);
    }
  }

  private static List<ScoreConfig.Category> readCategories(String json) {
    try {
      return JSON.readValue(json, new TypeReference<List<ScoreConfig.Category>>() { });
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("stored categories are malformed", e);
    }
  }
}
