package dev.keel.store;

/** The UI settings contract on PostgreSQL at 127.0.0.1:5432 (database test), own schema. */
class PostgresUiSettingsStoreIT extends UiSettingsStoreContract {

  private final PostgresSchema schema = new PostgresSchema("keel_uiset_it_");

  @Override
  protected Store openStore() throws Exception {
    return schema.open();
  }

  @Override
  protected void dropStore() throws Exception {
    schema.drop();
  }
}
