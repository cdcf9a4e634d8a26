package dev.keel.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keel.core.trace.Observation;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL's write path plans its statements once per connection (TraceWrites, StoredRows).
 * A store that grows from empty on a server whose autovacuum is off must still look rows up
 * by their keys once the tables are large: the plans made on empty tables read traces through
 * (project, user) and so every trace of the project, until {@link PlannerStatistics} analyzes
 * the tables and the server plans again.
 */
class PostgresWritePlansIT {

  // Indexes a write may search: every lookup of the write path is by primary key or by trace.
  private static final List<String> KEYED = List.of("traces_pkey", "observations_pkey",
      "observations_trace");
  private static final int SPANS = 20;
  private static final int TRACES = 4_000;
  private static final int GROWTH = 50;

  private final PostgresSchema schema = new PostgresSchema("keel_write_plans_it_");
  private final String project = Fixtures.newProject();
  private List<String> previous = List.of();
  private String previousTrace;

  @AfterEach
  void drop() throws SQLException {
    schema.drop();
  }

  @Test
  void tablesGrownFromEmptyWithoutAutovacuum_areAnalyzed_andWritesThenProbeOnlyByKey()
      throws Exception {
    try (Store store = schema.open(); Connection admin = connect()) {
      try (Statement s = admin.createStatement()) {
        s.execute("ALTER TABLE traces SET (autovacuum_enabled = false)");
        s.execute("ALTER TABLE observations SET (autovacuum_enabled = false)");
      }
      for (int i = 0; i < 5; i++) {
        writeBatch(store); // plans are made now, on nearly empty tables
      }
      // Until a probe by key is plainly cheaper than a read of the project's rows even to a
      // planner that takes a project to hold 1/200 of a table (its guess for a key from an
      // array): a few thousand traces.
      for (int i = 0; i < TRACES / GROWTH; i++) {
        growBatch(store);
      }
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (analyzeCount(admin, "traces") == 0 || analyzeCount(admin, "observations") == 0) {
        assertThat(System.nanoTime()).as("both tables analyzed within 60 s").isLessThan(deadline);
        growBatch(store);
        Thread.sleep(20);
      }
      // The backends report their counts up to a second after a transaction: the last growth
      // batches' own (planned before the analysis) must be in before the window opens.
      Thread.sleep(1_500);
      writeBatch(store);
      Map<String, Long> before = indexScans(admin);
      for (int i = 0; i < 20; i++) {
        writeBatch(store);
      }
      Map<String, Long> after = indexScans(admin);

      var searched = new TreeMap<String, Long>();
      after.forEach((index, n) -> {
        if (n > before.getOrDefault(index, 0L)) {
          searched.put(index, n - before.getOrDefault(index, 0L));
        }
      });
      assertThat(searched).as("index scans during 20 writes").containsKey("observations_pkey");
      assertThat(searched.keySet()).as("indexes the writes searched").isSubsetOf(KEYED);
    }
  }

  // GROWTH new traces with a span each.
  private void growBatch(Store store) {
    var traces = new ArrayList<dev.keel.core.trace.Trace>();
    var spans = new ArrayList<Observation>();
    for (int i = 0; i < GROWTH; i++) {
      String traceId = UUID.randomUUID().toString();
      traces.add(Fixtures.trace(project, traceId, Fixtures.T0));
      spans.add(Fixtures.span(project, traceId, UUID.randomUUID().toString(), Fixtures.T0));
    }
    store.traces().write(new TraceBatch(traces, spans, List.of(), List.of()));
  }

  // A new trace with SPANS spans, and an update of each span of the previous batch.
  private void writeBatch(Store store) {
    String traceId = UUID.randomUUID().toString();
    var spans = new ArrayList<Observation>();
    var ids = new ArrayList<String>();
    for (int i = 0; i < SPANS; i++) {
      String id = UUID.randomUUID().toString();
      ids.add(id);
      spans.add(Fixtures.span(project, traceId, id, Fixtures.T0));
    }
    var updates = new ArrayList<Observation>();
    for (String id : previous) {
      Observation s = Fixtures.span(project, previousTrace, id, Fixtures.T0);
      updates.add(new Observation(id, s.traceId(), project, null, s.type(), null, s.startTime(),
          s.endTime().plusMillis(5), null, null, null, null, "{\"done\":true}", null,
          s.level(), null, null, null, null, null, null));
    }
    store.traces().write(new TraceBatch(List.of(Fixtures.trace(project, traceId, Fixtures.T0)),
        spans, updates, List.of()));
    previous = ids;
    previousTrace = traceId;
  }

  private Connection connect() throws SQLException {
    return DriverManager.getConnection(PostgresSchema.ADMIN_URL + "&currentSchema="
        + schema.name());
  }

  private long analyzeCount(Connection c, String table) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
        "SELECT analyze_count FROM pg_stat_user_tables WHERE schemaname = '" + schema.name()
            + "' AND relname = '" + table + "'")) {
      return rs.next() ? rs.getLong(1) : 0;
    }
  }

  // Scans per index of traces and observations, once the writer's backends reported them
  // (an idle backend sends its counts within about a second).
  private Map<String, Long> indexScans(Connection c) throws Exception {
    Thread.sleep(2_500);
    var out = new TreeMap<String, Long>();
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
        "SELECT indexrelname, idx_scan FROM pg_stat_user_indexes WHERE schemaname = '"
            + schema.name() + "' AND relname IN ('traces', 'observations')")) {
      while (rs.next()) {
        out.put(rs.getString(1), rs.getLong(2));
      }
    }
    return out;
  }
}
