package dev.keel.store;

/** The trace browsing contract on PostgreSQL (127.0.0.1:5432, database test), own schema. */
class PostgresTraceBrowseIT extends TraceBrowseContract {

  private PostgresSchema schema;

  @Override
  protected Store openStore() throws Exception {
    schema = new PostgresSchema("keel_trace_browse_it_");
    return schema.open();
  }

  @Override
  protected void dropStore() throws Exception {
    schema.drop();
  }
}
