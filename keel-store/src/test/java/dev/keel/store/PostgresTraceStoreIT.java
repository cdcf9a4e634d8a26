package dev.keel.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import dev.keel.core.trace.Observation;
import dev.keel.core.trace.Trace;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Runs the contract on PostgreSQL at 127.0.0.1:5432 (database test), in a schema of its own. */
class PostgresTraceStoreIT extends TraceStoreContract {

  static final String ADMIN_URL = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";

  private final String schema = "keel_it_" + UUID.randomUUID().toString().replace("-", "");
  private Store store;

  @Override
  protected Store openStore() throws Exception {
    exec("CREATE SCHEMA " + schema);
    store = Store.open(StoreConfig.postgres(
        "postgres://postgres@127.0.0.1:5432/test?currentSchema=" + schema));
    return store;
  }

  @Override
  protected void dropStore() throws Exception {
    exec("DROP SCHEMA " + schema + " CASCADE");
  }

  @Test
  void open_postgres_describesHostWithoutSecrets() {
    assertThat(store.dialect()).isEqualTo("postgresql");
    assertThat(store.describe()).isEqualTo("127.0.0.1:5432/test");
  }

  @Test
  void write_twoInstancesOverlappingBatches_noDeadlockAndNothingLost() throws Exception {
    String project = Fixtures.newProject();
    var other = Store.open(StoreConfig.postgres(
        "postgres://postgres@127.0.0.1:5432/test?currentSchema=" + schema));
    try (var pool = Executors.newFixedThreadPool(2)) {
      var results = new ArrayList<Future<?>>();
      for (Store s : List.of(store, other)) {
        results.add(pool.submit(() -> {
          for (int round = 0; round < 40; round++) {
            // Both write the same traces and observations, each in its own (shuffled) order.
            var ts = new ArrayList<Trace>();
            var os = new ArrayList<Observation>();
            for (int i = 0; i < 6; i++) {
              ts.add(Fixtures.trace(project, "dl-" + i, Fixtures.T0));
              for (int j = 0; j < 4; j++) {
                os.add(Fixtures.generation(project, "dl-" + i, "dl-" + i + "-" + j,
                    Fixtures.T0, "1"));
              }
            }
            Collections.shuffle(ts);
            Collections.shuffle(os);
            s.traces().write(new TraceBatch(ts, List.of(), os, List.of()));
          }
          return null;
        }));
      }
      for (Future<?> f : results) {
        f.get(120, TimeUnit.SECONDS);
      }
    } finally {
      other.close();
    }
    for (int i = 0; i < 6; i++) {
      TraceSummary t = store.traces().findTrace(project, "dl-" + i).orElseThrow();
      assertThat(t.observationCount()).isEqualTo(4);
      assertThat(t.totalCost()).isEqualByComparingTo("4");
    }
  }

  // Batches without the trace, only observations of it: each transaction's rollup must count
  // what the other instance committed meanwhile (it summed its own snapshot, which missed them).
  @Test
  void write_twoInstancesAddingToOneTrace_totalsCountEveryObservation() throws Exception {
    String project = Fixtures.newProject();
    store.traces().write(List.of(Fixtures.trace(project, "shared", Fixtures.T0)), List.of());
    var other = Store.open(StoreConfig.postgres(
        "postgres://postgres@127.0.0.1:5432/test?currentSchema=" + schema));
    int writers = 6;
    int rounds = 30;
    try (var pool = Executors.newFixedThreadPool(writers)) {
      var results = new ArrayList<Future<?>>();
      for (int w = 0; w < writers; w++) {
        Store s = w % 2 == 0 ? store : other;
        String prefix = "sh-" + w + "-";
        results.add(pool.submit(() -> {
          for (int round = 0; round < rounds; round++) {
            s.traces().write(List.of(), List.of(
                Fixtures.generation(project, "shared", prefix + round + "-a", Fixtures.T0, "1"),
                Fixtures.generation(project, "shared", prefix + round + "-b", Fixtures.T0, "1")));
          }
          return null;
        }));
      }
      for (Future<?> f : results) {
        f.get(120, TimeUnit.SECONDS);
      }
    } finally {
      other.close();
    }
    TraceSummary t = store.traces().findTrace(project, "shared").orElseThrow();
    assertThat(t.observationCount()).isEqualTo(writers * rounds * 2);
    assertThat(t.totalCost()).isEqualByComparingTo(String.valueOf(writers * rounds * 2));
  }

  // Each batch creates one trace and adds an observation to another: a transaction used to lock
  // its own trace first and the other only for its rollup, so two could each wait for the
  // other's (retried, but seconds of latency under load).
  @Test
  void write_twoInstancesCrossingTraces_noDeadlocks() throws Exception {
    String project = Fixtures.newProject();
    var other = Store.open(StoreConfig.postgres(
        "postgres://postgres@127.0.0.1:5432/test?currentSchema=" + schema));
    long before = deadlocks();
    try (var pool = Executors.newFixedThreadPool(6)) {
      var results = new ArrayList<Future<?>>();
      for (int w = 0; w < 6; w++) {
        Store s = w % 2 == 0 ? store : other;
        int writer = w;
        results.add(pool.submit(() -> {
          var random = new java.util.Random(writer);
          for (int round = 0; round < 60; round++) {
            int a = random.nextInt(4);
            int b = (a + 1 + random.nextInt(3)) % 4;
            s.traces().write(List.of(Fixtures.trace(project, "x-" + a, Fixtures.T0)),
                List.of(Fixtures.generation(project, "x-" + b, "x-" + writer + "-" + round,
                    Fixtures.T0, "1")));
          }
          return null;
        }));
      }
      for (Future<?> f : results) {
        f.get(120, TimeUnit.SECONDS);
      }
    } finally {
      other.close();
    }
    Thread.sleep(1_500); // backends report their counts within about a second
    assertThat(deadlocks() - before).as("deadlocks in database test").isZero();
    long total = 0;
    for (int i = 0; i < 4; i++) {
      TraceSummary t = store.traces().findTrace(project, "x-" + i).orElseThrow();
      total += t.observationCount();
      assertThat(t.totalCost()).isEqualByComparingTo(String.valueOf(t.observationCount()));
    }
    assertThat(total).isEqualTo(6 * 60);
  }

  // An update naming another trace (or none: ingestion then makes one up) still writes into the
  // trace its observation is stored under, which the read had not locked.
  @Test
  void write_updatesNamingAnotherTrace_stillKeepTheStoredTracesTotalsRight() throws Exception {
    String project = Fixtures.newProject();
    store.traces().write(List.of(Fixtures.trace(project, "home", Fixtures.T0)),
        List.of(Fixtures.generation(project, "home", "home-base", Fixtures.T0, "0.5")));
    int writers = 6;
    int rounds = 25;
    try (var pool = Executors.newFixedThreadPool(writers)) {
      var results = new ArrayList<Future<?>>();
      for (int w = 0; w < writers; w++) {
        int writer = w;
        results.add(pool.submit(() -> {
          for (int round = 0; round < rounds; round++) {
            Observation update = Fixtures.generation(project, "elsewhere-" + writer,
                "home-base", Fixtures.T0, (writer + 1) + "." + round);
            List<Observation> creates = writer % 2 == 0 ? List.of() : List.of(
                Fixtures.generation(project, "home", "home-" + writer + "-" + round,
                    Fixtures.T0, "1"));
            store.traces().write(new TraceBatch(List.of(), creates, List.of(update), List.of()));
          }
          return null;
        }));
      }
      for (Future<?> f : results) {
        f.get(120, TimeUnit.SECONDS);
      }
    }
    List<Observation> stored = store.traces().observationsOf(project, "home");
    TraceSummary home = store.traces().findTrace(project, "home").orElseThrow();
    assertThat(stored).hasSize(1 + writers / 2 * rounds);
    assertThat(home.observationCount()).isEqualTo(stored.size());
    assertThat(home.totalCost()).isEqualByComparingTo(stored.stream()
        .map(o -> o.cost().total()).reduce(java.math.BigDecimal.ZERO,
            java.math.BigDecimal::add));
  }

  // Ten observations of a million USD pass a limit no row exceeds, but not the trace's column:
  // the total stays at the column's limit instead of failing this and every later write.
  @Test
  void write_traceCostBeyondTheColumn_heldAtItsLimit() {
    String project = Fixtures.newProject();
    var costly = new ArrayList<Observation>();
    for (int i = 0; i < 10; i++) {
      costly.add(Fixtures.generation(project, "rich", "rich-" + i, Fixtures.T0, "1000000"));
    }
    store.traces().write(List.of(Fixtures.trace(project, "rich", Fixtures.T0)), costly);
    store.traces().write(List.of(), List.of(
        Fixtures.generation(project, "rich", "rich-later", Fixtures.T0, "1")));

    TraceSummary t = store.traces().findTrace(project, "rich").orElseThrow();
    assertThat(t.observationCount()).isEqualTo(11);
    assertThat(t.totalCost()).isEqualByComparingTo("9223372.036854775807");
  }

  private static long deadlocks() throws Exception {
    try (Connection c = DriverManager.getConnection(ADMIN_URL);
        var rs = c.createStatement().executeQuery(
            "SELECT deadlocks FROM pg_stat_database WHERE datname = 'test'")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static void exec(String sql) throws Exception {
    try (Connection c = DriverManager.getConnection(ADMIN_URL)) {
      c.createStatement().execute(sql);
    }
  }
}
