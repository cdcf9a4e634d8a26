package dev.keel.store;

/** The online evaluation store contract on PostgreSQL at 127.0.0.1:5432 (database test). */
class PostgresOnlineEvalStoreIT extends OnlineEvalStoreContract {

  private final PostgresSchema schema = new PostgresSchema("keel_online_eval_it_");

  @Override
  protected Store openStore() throws Exception {
    return schema.open();
  }

  @Override
  protected void dropStore() throws Exception {
    schema.drop();
  }
}
