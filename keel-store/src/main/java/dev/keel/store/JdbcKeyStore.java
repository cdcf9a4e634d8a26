package dev.keel.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** API keys in the {@code api_keys} table; times are epoch microseconds. */
final class JdbcKeyStore implements KeyStore {

  private static final String COLUMNS = "id, kind, project_id, lookup, salt, hash, public_key,"
      + " name, created_us, expires_us, revoked_us, metadata";

  private final Db db;

  JdbcKeyStore(Db db) {
    this.db = db;
  }

  @Override
  public void insert(ApiKeyRecord k) {
    String sql = "INSERT INTO api_keys (" + COLUMNS
        + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    db.write(c -> {
      try (PreparedStatement ps = c.prepareStatement(sql)) {
        ps.setString(1, k.id());
        ps.setString(2, k.kind());
        ps.setString(3, k.projectId());
        ps.setString(4, k.lookup());
        ps.setString(5, k.salt());
        ps.setString(6, k.hash());
        ps.setString(7, k.publicKey());
        ps.setString(8, k.name());
        ps.setLong(9, Rows.micros(k.createdAt()));
        Rows.setNullableLong(ps, 10, Rows.micros(k.expiresAt(), true));
        Rows.setNullableLong(ps, 11, Rows.micros(k.revokedAt(), true));
        ps.setString(12, k.metadataJson());
        return ps.executeUpdate();
      }
    });
  }

  @Override
  public List<ApiKeyRecord> findByLookup(String lookup) {
    return select("lookup = ? AND revoked_us IS NULL", lookup);
  }

  @Override
  public Optional<ApiKeyRecord> findProjectByPublicKey(String publicKey) {
    return select("public_key = ? AND kind = 'project' AND revoked_us IS NULL", publicKey)
        .stream().findFirst();
  }

  @Override
  public List<ApiKeyRecord> list(String kind) {
    return kind == null ? select("1 = 1") : select("kind = ?", kind);
  }

  @Override
  public boolean revoke(String id, Instant at) {
    String sql = "UPDATE api_keys SET revoked_us = ? WHERE id = ? AND revoked_us IS NULL";
    return db.write(c -> {
      try (PreparedStatement ps = c.prepareStatement(sql)) {
        ps.setLong(1, Rows.micros(at));
        ps.setString(2, id);
        return ps.executeUpdate() > 0;
      }
    });
  }

  @Override
  public boolean anyOfKind(String kind) {
    String sql = "SELECT COUNT(*) FROM api_keys WHERE kind = ? AND revoked_us IS NULL";
    return db.read(c -> JdbcTraceStore.query(c, sql, new Where(), rs -> rs.getLong(1), kind)
        .get(0) > 0);
  }

  @Override
  public Optional<ApiKeyRecord> find(String id) {
    return select("id = ?", id).stream().findFirst();
  }

  @Override
  public boolean replaceSecret(String id, String lookup, String salt, String hash) {
    String sql = "UPDATE api_keys SET lookup = ?, salt = ?, hash = ? WHERE id = ?"
        + " AND revoked_us IS NULL";
    return update(sql, lookup, salt, hash, id);
  }

  @Override
  public boolean updateMetadata(String id, String metadataJson) {
    return update("UPDATE api_keys SET metadata = ? WHERE id = ?", metadataJson, id);
  }

  @Override
  public boolean updateLookup(String id, String from, String to) {
    return update("UPDATE api_keys SET lookup = ? WHERE id = ? AND lookup = ?", to, id, from);
  }

  @Override
  public boolean delete(String id) {
    return update("DELETE FROM api_keys WHERE id = ?", id);
  }

  private boolean update(String sql, String... params) {
    return db.write(c -> {
      try (PreparedStatement ps = c.prepareStatement(sql)) {
        for (int i = 0; i < params.length; i++) {
          ps.setString(i + 1, params[i]);
        }
        return ps.executeUpdate() > 0;
      }
    });
  }

  private List<ApiKeyRecord> select(String condition, Object... params) {
    String sql = "SELECT " + COLUMNS + " FROM api_keys WHERE " + condition
        + " ORDER BY created_us, id";
    return db.read(c -> JdbcTraceStore.query(c, sql, new Where(), JdbcKeyStore::map, params));
  }

  private static ApiKeyRecord map(ResultSet rs) throws SQLException {
    return new ApiKeyRecord(rs.getString("id"), rs.getString("kind"),
        rs.getString("project_id"), rs.getString("lookup"), rs.getString("salt"),
        rs.getString("hash"), rs.getString("public_key"), rs.getString("name"),
        Rows.instant(rs.getLong("created_us")), Rows.instantOrNull(rs, "expires_us"),
        Rows.instantOrNull(rs, "revoked_us"), rs.getString("metadata"));
  }
}
