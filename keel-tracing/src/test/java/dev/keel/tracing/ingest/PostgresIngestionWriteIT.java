package dev.keel.tracing.ingest;

import dev.keel.store.Store;
import dev.keel.store.StoreConfig;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.UUID;

/** The contract on PostgreSQL at 127.0.0.1:5432 (database test), in a schema of its own. */
class PostgresIngestionWriteIT extends IngestionWriteContract {

  private static final String ADMIN_URL = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";

  private final String schema = "keel_it_" + UUID.randomUUID().toString().replace("-", "");

  @Override
  protected Store openStore() throws Exception {
    exec("CREATE SCHEMA " + schema);
    return Store.open(StoreConfig.postgres(
        "postgres://postgres@127.0.0.1:5432/test?currentSchema=" + schema));
  }

  @Override
  protected void dropStore() throws Exception {
    exec("DROP SCHEMA " + schema + " CASCADE");
  }

  private static void exec(String sql) throws Exception {
    try (Connection c = DriverManager.getConnection(ADMIN_URL)) {
      c.createStatement().execute(sql);
    }
  }
}
