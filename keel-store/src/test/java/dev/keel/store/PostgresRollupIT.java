package dev.keel.store;

import java.sql.Connection;
import java.sql.DriverManager;

/** The rollup contract on PostgreSQL at 127.0.0.1:5432 (database test), in its own schema. */
class PostgresRollupIT extends RollupContract {

  private PostgresSchema schema;

  @Override
  protected Store openStore() throws Exception {
    schema = new PostgresSchema("keel_rollup_it_");
    return schema.open();
  }

  @Override
  protected Connection connect() throws Exception {
    return DriverManager.getConnection(PostgresSchema.ADMIN_URL + "&currentSchema="
        + schema.name());
  }

  @Override
  protected void dropStore() throws Exception {
    schema.drop();
  }
}
