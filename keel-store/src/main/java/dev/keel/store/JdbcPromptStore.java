package dev.keel.store;

import dev.keel.core.error.ErrorCode;
import dev.keel.core.error.KeelException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeMap;

/**
 * Prompts on SQLite or PostgreSQL.
 *
 * <p>Numbering: a create bumps {@code prompt_heads.latest_version} with an UPDATE and reads it
 * back in the same transaction. On PostgreSQL the UPDATE holds the head row's lock until
 * commit, so a concurrent create of the same name waits and then sees the bumped number; on
 * SQLite writes are serialized anyway. Versions are therefore consecutive with no retry, and
 * the primary key on (project, name, version) is the backstop.
 */
final class JdbcPromptStore implements PromptStore {

  private static final String COLUMNS = "v.name, v.version, v.type, v.body, v.config,"
      + " v.commit_message, v.author, v.content_hash, v.created_us, h.tags";
  private static final String FROM = " FROM prompt_versions v JOIN prompt_heads h"
      + " ON h.project_id = v.project_id AND h.name = v.name";

  private final Db db;

  JdbcPromptStore(Db db) {
    this.db = db;
  }

  @Override
  public StoredPrompt create(String projectId, PromptDraft d, List<String> labels) {
    long at = Rows.micros(d.createdAt());
    return db.write(c -> {
      ensureHead(c, projectId, d, at);
      int version = bumpHead(c, projectId, d, at);
      insertVersion(c, projectId, version, d);
      for (String label : labels) {
        moveLabel(c, projectId, d.name(), label, version, at);
      }
      return one(c, projectId, d.name(), "v.version = ?", version).orElseThrow();
    });
  }

  @Override
  public Optional<StoredPrompt> find(String projectId, String name, int version) {
    return db.read(c -> one(c, projectId, name, "v.version = ?", version));
  }

  @Override
  public Optional<StoredPrompt> findByLabel(String projectId, String name, String label) {
    return db.read(c -> one(c, projectId, name, "v.version = (SELECT l.version FROM"
        + " prompt_labels l WHERE l.project_id = v.project_id AND l.name = v.name"
        + " AND l.label = ?)", label));
  }

  @Override
  public List<StoredPrompt> versions(String projectId, String name) {
    return db.read(c -> select(c, projectId, name, "1 = 1"));
  }

  @Override
  public Optional<StoredPrompt> addLabels(String projectId, String name, int version,
      List<String> labels, Instant at) {
    return db.write(c -> {
      if (one(c, projectId, name, "v.version = ?", version).isEmpty()) {
        return Optional.empty();
      }
      for (String label : labels) {
        moveLabel(c, projectId, name, label, version, Rows.micros(at));
      }
      touchHead(c, projectId, name, Rows.micros(at));
      return one(c, projectId, name, "v.version = ?", version);
    });
  }

  @Override
  public OptionalInt previousWithLabel(String projectId, String name, String label,
      int before) {
    String sql = "SELECT MAX(version) FROM prompt_label_history"
        + " WHERE project_id = ? AND name = ? AND label = ? AND version < ?";
    return db.read(c -> {
      List<Integer> found = JdbcTraceStore.query(c, sql, new Where(), rs -> {
        int v = rs.getInt(1);
        return rs.wasNull() ? null : v;
      }, projectId, name, label, before);
      return found.get(0) == null ? OptionalInt.empty() : OptionalInt.of(found.get(0));
    });
  }

  @Override
  public Page<PromptSummary> list(PromptListQuery q) {
    Where w = new Where().add("h.project_id = ?", q.projectId())
        .addIf(q.name(), "h.name = ?")
        .addIf(q.label(), "EXISTS (SELECT 1 FROM prompt_labels l WHERE l.project_id ="
            + " h.project_id AND l.name = h.name AND l.label = ?)")
        .addIf(Rows.micros(q.fromUpdatedAt(), true), "h.updated_us >= ?")
        .addIf(Rows.micros(q.toUpdatedAt(), true), "h.updated_us < ?");
    if (q.tag() != null) {
      db.dialect().tagsFilter("h.tags", List.of(q.tag()), w);
    }
    String sql = "SELECT h.name, h.type, h.tags, h.updated_us, v.config FROM prompt_heads h"
        + " JOIN prompt_versions v ON v.project_id = h.project_id AND v.name = h.name"
        + " AND v.version = h.latest_version" + w.sql()
        + " ORDER BY h.updated_us DESC, h.name LIMIT ? OFFSET ?";
    return db.read(c -> {
      List<PromptSummary> heads = JdbcTraceStore.query(c, sql, w, rs -> summary(c, q, rs),
          q.limit(), Math.multiplyExact(q.page() - 1, q.limit()));
      long total = JdbcTraceStore.query(c, "SELECT COUNT(*) FROM prompt_heads h" + w.sql(), w,
          rs -> rs.getLong(1)).get(0);
      return new Page<>(heads, q.page(), q.limit(), total);
    });
  }

  private PromptSummary summary(Connection c, PromptListQuery q, ResultSet rs)
      throws SQLException {
    String name = rs.getString("name");
    List<Integer> versions = JdbcTraceStore.query(c, "SELECT version FROM prompt_versions"
        + " WHERE project_id = ? AND name = ? ORDER BY version", new Where(),
        r -> r.getInt(1), q.projectId(), name);
    List<String> labels = JdbcTraceStore.query(c, "SELECT label FROM prompt_labels"
        + " WHERE project_id = ? AND name = ? ORDER BY label", new Where(),
        r -> r.getString(1), q.projectId(), name);
    return new PromptSummary(name, rs.getString("type"), versions, labels,
        Json.readTags(rs.getString("tags")), Rows.instant(rs.getLong("updated_us")),
        rs.getString("config"));
  }

  private void ensureHead(Connection c, String projectId, PromptDraft d, long at)
      throws SQLException {
    String sql = "INSERT INTO prompt_heads (project_id, name, type, latest_version, tags,"
        + " created_us, updated_us) VALUES (?, ?, ?, 0, " + db.dialect().jsonParam()
        + ", ?, ?) ON CONFLICT (project_id, name) DO NOTHING";
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, projectId);
      ps.setString(2, d.name());
      ps.setString(3, d.type());
      ps.setString(4, Json.writeTags(d.tags() == null ? List.of() : d.tags()));
      ps.setLong(5, at);
      ps.setLong(6, at);
      ps.executeUpdate();
    }
  }

  private int bumpHead(Connection c, String projectId, PromptDraft d, long at)
      throws SQLException {
    String json = db.dialect().jsonParam();
    String sql = "UPDATE prompt_heads SET latest_version = latest_version + 1, updated_us = ?,"
        + " tags = COALESCE(" + json + ", tags) WHERE project_id = ? AND name = ?";
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setLong(1, at);
      ps.setString(2, d.tags() == null ? null : Json.writeTags(d.tags()));
      ps.setString(3, projectId);
      ps.setString(4, d.name());
      ps.executeUpdate();
    }
    record Head(int version, String type) {}
    Head head = JdbcTraceStore.query(c, "SELECT latest_version, type FROM prompt_heads"
        + " WHERE project_id = ? AND name = ?", new Where(),
        rs -> new Head(rs.getInt(1), rs.getString(2)), projectId, d.name()).get(0);
    if (!head.type().equals(d.type())) {
      throw new KeelException(ErrorCode.INVALID_REQUEST, "prompt '" + d.name() + "' is a "
          + head.type() + " prompt; a new version must be " + head.type() + " too, got "
          + d.type(), "type", null);
    }
    return head.version();
  }

  private static void insertVersion(Connection c, String projectId, int version, PromptDraft d)
      throws SQLException {
    String sql = "INSERT INTO prompt_versions (project_id, name, version, type, body, config,"
        + " commit_message, author, content_hash, created_us)"
        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, projectId);
      ps.setString(2, d.name());
      ps.setInt(3, version);
      ps.setString(4, d.type());
      ps.setString(5, d.body());
      ps.setString(6, d.configJson());
      ps.setString(7, d.commitMessage());
      ps.setString(8, d.author());
      ps.setString(9, d.contentHash());
      ps.setLong(10, Rows.micros(d.createdAt()));
      ps.executeUpdate();
    }
  }

  private static void moveLabel(Connection c, String projectId, String name, String label,
      int version, long at) throws SQLException {
    update(c, "DELETE FROM prompt_labels WHERE project_id = ? AND name = ? AND label = ?",
        projectId, name, label);
    update(c, "INSERT INTO prompt_labels (project_id, name, label, version, updated_us)"
        + " VALUES (?, ?, ?, ?, ?)", projectId, name, label, version, at);
    update(c, "INSERT INTO prompt_label_history (project_id, name, label, version, at_us)"
        + " VALUES (?, ?, ?, ?, ?)", projectId, name, label, version, at);
  }

  private static void touchHead(Connection c, String projectId, String name, long at)
      throws SQLException {
    update(c, "UPDATE prompt_heads SET updated_us = ? WHERE project_id = ? AND name = ?",
        at, projectId, name);
  }

  private static void update(Connection c, String sql, Object... params) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) {
        ps.setObject(i + 1, params[i]);
      }
      ps.executeUpdate();
    }
  }

  private static Optional<StoredPrompt> one(Connection c, String projectId, String name,
      String condition, Object value) throws SQLException {
    return select(c, projectId, name, condition, value).stream().findFirst();
  }

  private static List<StoredPrompt> select(Connection c, String projectId, String name,
      String condition, Object... params) throws SQLException {
    Map<Integer, List<String>> labels = labelsByVersion(c, projectId, name);
    String sql = "SELECT " + COLUMNS + FROM + " WHERE v.project_id = ? AND v.name = ? AND "
        + condition + " ORDER BY v.version";
    var all = new ArrayList<Object>(List.of(projectId, name));
    all.addAll(List.of(params));
    return JdbcTraceStore.query(c, sql, new Where(), rs -> new StoredPrompt(
        rs.getString("name"), rs.getInt("version"), rs.getString("type"), rs.getString("body"),
        rs.getString("config"), labels.getOrDefault(rs.getInt("version"), List.of()),
        Json.readTags(rs.getString("tags")), rs.getString("commit_message"),
        rs.getString("author"), Rows.instant(rs.getLong("created_us")),
        rs.getString("content_hash")), all.toArray());
  }

  private static Map<Integer, List<String>> labelsByVersion(Connection c, String projectId,
      String name) throws SQLException {
    var byVersion = new TreeMap<Integer, List<String>>();
    JdbcTraceStore.query(c, "SELECT version, label FROM prompt_labels WHERE project_id = ?"
        + " AND name = ? ORDER BY label", new Where(), rs -> byVersion
        .computeIfAbsent(rs.getInt(1), k -> new ArrayList<>()).add(rs.getString(2)),
        projectId, name);
    return byVersion;
  }
}
