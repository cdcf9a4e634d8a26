package dev.keel.store;

/** The report contract on PostgreSQL at 127.0.0.1:5432 (database test), in its own schema. */
class PostgresReportStoreIT extends ReportStoreContract {

  private final PostgresSchema schema = new PostgresSchema("keel_reports_it_");

  @Override
  protected Store openStore() throws Exception {
    return schema.open();
  }

  @Override
  protected void dropStore() throws Exception {
    schema.drop();
  }
}
