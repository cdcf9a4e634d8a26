package dev.keel.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.Optional;

/** {@link AlertStore} over JDBC, for SQLite and PostgreSQL. */
final class JdbcAlertStore implements AlertStore {

  private static final String RESOLVED = "resolved";

  private final Db db;

  JdbcAlertStore(Db db) {
    this.db = db;
  }

  @Override
  public Optional<String> state(String alert) {
    return db.read(c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT state FROM alert_states WHERE name = ?")) {
        ps.setString(1, alert);
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
        }
      }
    });
  }

  @Override
  public boolean transition(String alert, String from, String to, Instant now,
      Instant changedBefore) {
    return db.write(c -> {
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO alert_states (name, state,"
          + " changed_us) VALUES (?, ?, 0) ON CONFLICT (name) DO NOTHING")) {
        ps.setString(1, alert);
        ps.setString(2, RESOLVED);
        ps.executeUpdate();
      }
      // The row lock this UPDATE takes makes the check-and-set atomic across instances.
      try (PreparedStatement ps = c.prepareStatement("UPDATE alert_states SET state = ?,"
          + " changed_us = ? WHERE name = ? AND state = ? AND changed_us <= ?")) {
        ps.setString(1, to);
        ps.setLong(2, Rows.micros(now));
        ps.setString(3, alert);
        ps.setString(4, from);
        ps.setLong(5, Rows.micros(changedBefore));
        return ps.executeUpdate() > 0;
      }
    });
  }
}
