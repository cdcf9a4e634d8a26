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

  private static void exec(String sql) throws Exception {
    try (Connection c = DriverManager.getConnection(ADMIN_URL)) {
      c.createStatement().execute(sql);
    }
  }
}
