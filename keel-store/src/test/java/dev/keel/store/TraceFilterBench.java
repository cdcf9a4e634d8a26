package dev.keel.store;

import dev.keel.core.cost.Cost;
import dev.keel.core.trace.Level;
import dev.keel.core.trace.Observation;
import dev.keel.core.trace.ObservationType;
import dev.keel.core.trace.Trace;
import dev.keel.core.usage.Usage;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The trace list's filters on a large store; a main, not a test. Arguments: "sqlite" (a temp
 * folder) or a PostgreSQL URL, then the number of traces (5 observations each). Prints each
 * filter's median and worst time over 10 runs of the first page with its total count, and the
 * query plan of the filter's count.
 *
 * <p>The data: one generation per trace on gpt-4o-mini, except every 10th on gpt-4o and every
 * 1,000th on o1; one observation in 50 is WARNING and one in 500 ERROR; costs from $0.000001
 * to $0.01 and latencies from 0.1 s to 10 s, spread evenly.
 */
public final class TraceFilterBench {

  private static final int RUNS = 10;

  private TraceFilterBench() {
  }

  public static void main(String[] args) throws Exception {
    String target = args.length > 0 ? args[0] : "sqlite";
    int traces = args.length > 1 ? Integer.parseInt(args[1]) : 200_000;
    StoreConfig config = target.equals("sqlite")
        ? StoreConfig.sqlite(Files.createTempDirectory("keel-filter-bench"))
        : StoreConfig.postgres(target);
    try (Store store = Store.open(config)) {
      String p = Fixtures.newProject();
      long start = System.nanoTime();
      fill(store, p, traces);
      System.out.printf("%s: %d traces, %d observations written in %.1f s%n", store.dialect(),
          traces, traces * 5, (System.nanoTime() - start) / 1e9);
      try (Connection c = DriverManager.getConnection(config.jdbcUrl(), config.user(),
          config.password())) {
        if (!store.dialect().equals("sqlite")) {
          // Autovacuum would analyze the new rows soon; SQLite's store never runs ANALYZE.
          c.createStatement().execute("ANALYZE");
        }
        measure(store, c, p);
      }
    }
  }

  private static void fill(Store store, String p, int traces) {
    Instant base = Instant.parse("2026-11-01T00:00:00Z");
    List<Trace> ts = new ArrayList<>();
    List<Observation> os = new ArrayList<>();
    for (int i = 0; i < traces; i++) {
      Instant at = base.plusMillis(i * 25L);
      ts.add(new Trace("t" + i, p, "bench", at, "u" + (i % 500), "s" + (i % 3000), null, null,
          null, List.of("bench"), null, null, null, false));
      long latencyMs = 100 + (i * 7919L) % 9900;
      String model = i % 1000 == 0 ? "o1" : i % 10 == 0 ? "gpt-4o" : "gpt-4o-mini";
      for (int j = 0; j < 5; j++) {
        int n = i * 5 + j;
        Level level = n % 500 == 0 ? Level.ERROR : n % 50 == 0 ? Level.WARNING : Level.DEFAULT;
        boolean generation = j == 1;
        Instant s = at.plusMillis(j * 10L);
        Instant e = j == 0 ? at.plusMillis(latencyMs) : s.plusMillis(5);
        Cost cost = generation ? new Cost(Map.of(Cost.TOTAL, BigDecimal.valueOf(
            1 + (i * 104729L) % 10_000, 6))) : null;
        os.add(new Observation("t" + i + "-o" + j, "t" + i, p, j == 0 ? null : "t" + i + "-o0",
            generation ? ObservationType.GENERATION : ObservationType.SPAN, "step", s, e, null,
            generation ? model : null, null, null, null, null, level, null,
            generation ? new Usage(Map.of("input", 10L, "output", 5L), false) : null, cost,
            null, null, null));
      }
      if (ts.size() == 1000) {
        store.traces().write(ts, os);
        ts.clear();
        os.clear();
      }
    }
    store.traces().write(ts, os);
  }

  private static void measure(Store store, Connection c, String p) throws Exception {
    String exists = "EXISTS (SELECT 1 FROM observations o WHERE o.project_id = t.project_id"
        + " AND o.%s = '%s' AND o.trace_id = t.id)";
    Object[][] cases = {
        {"none", q(p, null, null, null, null, null, null), "1 = 1"},
        {"model=o1 (rare)", q(p, "o1", null, null, null, null, null),
            String.format(exists, "model", "o1")},
        {"model=gpt-4o (10%)", q(p, "gpt-4o", null, null, null, null, null),
            String.format(exists, "model", "gpt-4o")},
        {"model=gpt-4o-mini (89%)", q(p, "gpt-4o-mini", null, null, null, null, null),
            String.format(exists, "model", "gpt-4o-mini")},
        {"level=ERROR", q(p, null, "ERROR", null, null, null, null),
            String.format(exists, "level", "ERROR")},
        {"level=WARNING", q(p, null, "WARNING", null, null, null, null),
            String.format(exists, "level", "WARNING")},
        {"cost>=0.0099 (1%)", q(p, null, null, "0.0099", null, null, null),
            "t.total_cost_pico >= 9900000000"},
        {"cost<=0.001 (10%)", q(p, null, null, null, "0.001", null, null),
            "t.total_cost_pico <= 1000000000"},
        {"latency>=9.9s (0.1%)", q(p, null, null, null, null, 9900L, null),
            "(t.max_end_us - t.min_start_us) >= 9900000"},
        {"latency<=5s (50%)", q(p, null, null, null, null, null, 5000L),
            "(t.max_end_us - t.min_start_us) <= 5000000"},
        {"model=gpt-4o, cost>=0.005, latency>=5s",
            q(p, "gpt-4o", null, "0.005", null, 5000L, null),
            String.format(exists, "model", "gpt-4o") + " AND t.total_cost_pico >= 5000000000"
                + " AND (t.max_end_us - t.min_start_us) >= 5000000"},
    };
    for (Object[] k : cases) {
      TraceQuery query = (TraceQuery) k[1];
      double[] ms = new double[RUNS];
      long total = 0;
      for (int i = -2; i < RUNS; i++) {
        long t0 = System.nanoTime();
        total = store.traces().listTraces(query).totalItems();
        if (i >= 0) {
          ms[i] = (System.nanoTime() - t0) / 1e6;
        }
      }
      Arrays.sort(ms);
      // The web UI's page: browseTraces counts at most 10,000 matches.
      double[] browse = new double[RUNS];
      for (int i = -2; i < RUNS; i++) {
        long t0 = System.nanoTime();
        store.traces().browseTraces(query, null, 10_000);
        if (i >= 0) {
          browse[i] = (System.nanoTime() - t0) / 1e6;
        }
      }
      Arrays.sort(browse);
      System.out.printf("%-40s %8d traces  median %7.1f ms  max %7.1f ms"
          + "  | count to 10,000: median %7.1f ms  max %7.1f ms%n", k[0], total,
          ms[RUNS / 2], ms[RUNS - 1], browse[RUNS / 2], browse[RUNS - 1]);
      plan(store, c, "SELECT COUNT(*) FROM traces t WHERE t.project_id = '" + p + "' AND "
          + k[2]);
      plan(store, c, "SELECT t.id FROM traces t WHERE t.project_id = '" + p + "' AND " + k[2]
          + " ORDER BY t.timestamp_us DESC, t.id DESC LIMIT 50");
    }
  }

  private static void plan(Store store, Connection c, String sql) throws Exception {
    boolean sqlite = store.dialect().equals("sqlite");
    try (ResultSet rs = c.createStatement().executeQuery(
        (sqlite ? "EXPLAIN QUERY PLAN " : "EXPLAIN ") + sql)) {
      while (rs.next()) {
        System.out.println("    " + rs.getString(sqlite ? 4 : 1));
      }
    }
  }

  private static TraceQuery q(String p, String model, String level, String minCost,
      String maxCost, Long minLatencyMs, Long maxLatencyMs) {
    return new TraceQuery(p, null, null, null, null, null, null, null, model, level,
        minCost == null ? null : new BigDecimal(minCost),
        maxCost == null ? null : new BigDecimal(maxCost),
        minLatencyMs == null ? null : Duration.ofMillis(minLatencyMs),
        maxLatencyMs == null ? null : Duration.ofMillis(maxLatencyMs), 1, 50);
  }
}
