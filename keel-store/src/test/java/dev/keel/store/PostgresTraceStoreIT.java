package dev.keel.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Runs the contract on PostgreSQL at 127.0.0.1:5432 (database test), in a schema of its own. */
class PostgresTraceStoreIT extends TraceStoreContract {

  static final String ADMIN_URL = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";

  private final String schema = "keel_it_" + UUID.randomUUID().toString().replace("-", "");
  private Store store;

  @Override
  protected Store openStore() throws Exception {
    exec("CREATE SCHEMA " + schema);
    store = Store.open(StoreConfig.postgres(
        "postgres://postgres@127.0.0.1:5432/test?currentSchema=" + schema));
    return store;
  }

  @Override
  protected void dropStore() throws Exception {
    exec("DROP SCHEMA " + schema + " CASCADE");
  }

  @Test
  void open_postgres_describesHostWithoutSecrets() {
    assertThat(store.dialect()).isEqualTo("postgresql");
    assertThat(store.describe()).isEqualTo("127.0.0.1:5432/test");
  }

  private static void exec(String sql) throws Exception {
    try (Connection c = DriverManager.getConnection(ADMIN_URL)) {
      c.createStatement().execute(sql);
    }
  }
}
