package dev.keel.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/** Web UI accounts in the {@code ui_users} table (migration V7); times are epoch microseconds. */
final class JdbcUserStore implements UserStore {

  private static final String COLUMNS = "username, role, password, created_us";

  private final Db db;

  JdbcUserStore(Db db) {
    this.db = db;
  }

  @Override
  public boolean insert(UserRecord u) {
    // Insert-if-absent in one statement, so two concurrent creates cannot both win.
    String sql = "INSERT INTO ui_users (" + COLUMNS + ") VALUES (?, ?, ?, ?)"
        + " ON CONFLICT (username) DO NOTHING";
    return db.write(c -> {
      try (PreparedStatement ps = c.prepareStatement(sql)) {
        ps.setString(1, u.username());
        ps.setString(2, u.role());
        ps.setString(3, u.passwordHash());
        ps.setLong(4, Rows.micros(u.createdAt()));
        return ps.executeUpdate() > 0;
      }
    });
  }

  @Override
  public Optional<UserRecord> find(String username) {
    return select("WHERE username = ?", username).stream().findFirst();
  }

  @Override
  public List<UserRecord> list() {
    return select("");
  }

  @Override
  public boolean delete(String username) {
    return db.write(c -> {
      try (PreparedStatement ps = c.prepareStatement("DELETE FROM ui_users WHERE username = ?")) {
        ps.setString(1, username);
        return ps.executeUpdate() > 0;
      }
    });
  }

  private List<UserRecord> select(String where, Object... params) {
    String sql = "SELECT " + COLUMNS + " FROM ui_users " + where + " ORDER BY username";
    return db.read(c -> JdbcTraceStore.query(c, sql, new Where(), JdbcUserStore::map, params));
  }

  private static UserRecord map(ResultSet rs) throws SQLException {
    return new UserRecord(rs.getString("username"), rs.getString("role"),
        rs.getString("password"), Rows.instant(rs.getLong("created_us")));
  }
}
