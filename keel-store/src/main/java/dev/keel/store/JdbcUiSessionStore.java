package dev.keel.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;

/** UI sessions in the {@code ui_sessions} table (migration V10). */
final class JdbcUiSessionStore implements UiSessionStore {

  private static final String COLUMNS =
      "token_hash, username, who, role, created_us, expires_us";

  private final Db db;

  JdbcUiSessionStore(Db db) {
    this.db = db;
  }

  @Override
  public void create(UiSessionRecord s) {
    db.write(c -> {
      // Sign-ins are rare, so sweeping expired sessions here keeps the table small.
      try (PreparedStatement ps = c.prepareStatement(
          "DELETE FROM ui_sessions WHERE expires_us <= ?")) {
        ps.setLong(1, Rows.micros(s.createdAt()));
        ps.executeUpdate();
      }
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO ui_sessions (" + COLUMNS
          + ") VALUES (?, ?, ?, ?, ?, ?)")) {
        ps.setString(1, s.tokenHash());
        ps.setString(2, s.username());
        ps.setString(3, s.who());
        ps.setString(4, s.role());
        ps.setLong(5, Rows.micros(s.createdAt()));
        ps.setLong(6, Rows.micros(s.expiresAt()));
        return ps.executeUpdate();
      }
    });
  }

  @Override
  public Optional<UiSessionRecord> find(String tokenHash, Instant now) {
    String sql = "SELECT " + COLUMNS + " FROM ui_sessions WHERE token_hash = ?"
        + " AND expires_us > ?";
    return db.read(c -> JdbcTraceStore.query(c, sql, new Where(), JdbcUiSessionStore::map,
        tokenHash, Rows.micros(now))).stream().findFirst();
  }

  @Override
  public boolean delete(String tokenHash) {
    return update("DELETE FROM ui_sessions WHERE token_hash = ?", tokenHash) > 0;
  }

  @Override
  public int deleteOf(String username) {
    return update("DELETE FROM ui_sessions WHERE username = ?", username);
  }

  private int update(String sql, String value) {
    return db.write(c -> {
      try (PreparedStatement ps = c.prepareStatement(sql)) {
        ps.setString(1, value);
        return ps.executeUpdate();
      }
    });
  }

  private static UiSessionRecord map(ResultSet rs) throws SQLException {
    return new UiSessionRecord(rs.getString("token_hash"), rs.getString("username"),
        rs.getString("who"), rs.getString("role"), Rows.instant(rs.getLong("created_us")),
        Rows.instant(rs.getLong("expires_us")));
  }
}
