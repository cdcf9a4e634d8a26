package dev.keel.store;

import java.sql.Connection;
import java.sql.DriverManager;
import java.util.UUID;

/** The trace browsing contract on PostgreSQL (127.0.0.1:5432, database test), own schema. */
class PostgresTraceBrowseIT extends TraceBrowseContract {

  private String schema;

  @Override
  protected Store openStore() throws Exception {
    schema = "keel_trace_browse_it_" + UUID.randomUUID().toString().replace("-", "");
    exec("CREATE SCHEMA " + schema);
    return Store.open(StoreConfig.postgres(
        "postgres://postgres@127.0.0.1:5432/test?currentSchema=" + schema));
  }

  @Override
  protected void dropStore() throws Exception {
    exec("DROP SCHEMA " + schema + " CASCADE");
  }

  private static void exec(String sql) throws Exception {
    try (Connection c = DriverManager.getConnection(PostgresTraceStoreIT.ADMIN_URL)) {
      c.createStatement().execute(sql);
    }
  }
}
