package dev.keel.store;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.UUID;

/**
 * A schema of its own on the PostgreSQL at 127.0.0.1:5432 (database test) for one store
 * contract run: made when the store opens, dropped with everything in it afterwards.
 */
final class PostgresSchema {

  static final String ADMIN_URL = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";

  private final String name;

  /** @param prefix the start of the schema's name, which ends in a random part */
  PostgresSchema(String prefix) {
    this.name = prefix + UUID.randomUUID().toString().replace("-", "");
  }

  String name() {
    return name;
  }

  /** The store's URL, in this schema. */
  String url() {
    return "postgres://postgres@127.0.0.1:5432/test?currentSchema=" + name;
  }

  /** Makes the schema and opens a store in it (migrations run). */
  Store open() throws SQLException {
    exec("CREATE SCHEMA " + name);
    return Store.open(StoreConfig.postgres(url()));
  }

  void drop() throws SQLException {
    exec("DROP SCHEMA " + name + " CASCADE");
  }

  static void exec(String sql) throws SQLException {
    try (Connection c = DriverManager.getConnection(ADMIN_URL)) {
      c.createStatement().execute(sql);
    }
  }
}
