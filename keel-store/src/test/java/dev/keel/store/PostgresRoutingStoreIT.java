package dev.keel.store;

/** The routing store contract on PostgreSQL at 127.0.0.1:5432 (database test), in its own schema. */
class PostgresRoutingStoreIT extends RoutingStoreContract {

  private final PostgresSchema schema = new PostgresSchema("keel_routing_it_");

  @Override
  protected Store openStore() throws Exception {
    return schema.open();
  }

  @Override
  protected void dropStore() throws Exception {
    schema.drop();
  }
}
