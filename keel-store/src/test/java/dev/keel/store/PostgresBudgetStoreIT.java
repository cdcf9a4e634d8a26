package dev.keel.store;

/** The budget contract on PostgreSQL at 127.0.0.1:5432 (database test), in its own schema. */
class PostgresBudgetStoreIT extends BudgetStoreContract {

  private final PostgresSchema schema = new PostgresSchema("keel_budgets_it_");

  @Override
  protected Store openStore() throws Exception {
    return schema.open();
  }

  @Override
  protected void dropStore() throws Exception {
    schema.drop();
  }
}
