package dev.keel.store;

/** The sessions list contract on PostgreSQL (127.0.0.1:5432, database test), own schema. */
class PostgresSessionListIT extends SessionListContract {

  private PostgresSchema schema;

  @Override
  protected Store openStore() throws Exception {
    schema = new PostgresSchema("keel_session_list_it_");
    return schema.open();
  }

  @Override
  protected void dropStore() throws Exception {
    schema.drop();
  }
}
