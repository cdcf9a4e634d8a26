package dev.keel.store;

/** The contract on PostgreSQL at 127.0.0.1:5432 (database test), in a schema of its own. */
class PostgresTraceWriteSafetyIT extends TraceWriteSafetyContract {

  private final PostgresSchema schema = new PostgresSchema("keel_it_");

  @Override
  protected Store openStore() throws Exception {
    return schema.open();
  }

  @Override
  protected void dropStore() throws Exception {
    schema.drop();
  }
}
