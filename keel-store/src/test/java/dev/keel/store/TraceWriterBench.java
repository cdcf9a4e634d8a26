package dev.keel.store;

import dev.keel.core.trace.Observation;
import dev.keel.core.trace.Trace;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Ingestion throughput through {@link TraceWriter}; a main, not a test. Arguments: "sqlite"
 * (a temp folder) or a PostgreSQL URL, then the number of traces (4 observations each).
 * Offers that find the queue full are retried, so the figure is sustained committed throughput.
 */
public final class TraceWriterBench {

  private TraceWriterBench() {
  }

  public static void main(String[] args) throws Exception {
    String target = args.length > 0 ? args[0] : "sqlite";
    int traces = args.length > 1 ? Integer.parseInt(args[1]) : 50_000;
    StoreConfig config = target.equals("sqlite")
        ? StoreConfig.sqlite(Files.createTempDirectory("keel-bench"))
        : StoreConfig.postgres(target);
    try (Store store = Store.open(config)) {
      run(store, traces);
    }
  }

  private static void run(Store store, int traces) throws InterruptedException {
    String p = Fixtures.newProject();
    String payload = "\"" + "x".repeat(800) + "\"";
    long start = System.nanoTime();
    try (var writer = new TraceWriter(store.traces(), 20_000, 1_000, Duration.ofMillis(50))) {
      for (int i = 0; i < traces; i++) {
        Instant at = Fixtures.T0.plusMillis(i);
        Trace t = Fixtures.trace(p, "t" + i, at);
        List<Observation> os = new ArrayList<>();
        for (int j = 0; j < 4; j++) {
          Observation g = Fixtures.generation(p, "t" + i, "o" + i + "-" + j, at, "0.001");
          os.add(new Observation(g.id(), g.traceId(), p, null, g.type(), g.name(), g.startTime(),
              g.endTime(), null, g.model(), null, payload, payload, null, null, null, g.usage(),
              g.cost(), null, null, null));
        }
        while (!writer.offer(t, os)) {
          Thread.sleep(1);
        }
      }
      writer.flush();
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    long listStart = System.nanoTime();
    store.traces().listTraces(TraceQuery.all(p, 50));
    double listMs = (System.nanoTime() - listStart) / 1e6;
    System.out.printf("%s: %d traces, %d observations in %.2f s = %.0f observations/s;"
        + " first trace page %.1f ms%n", store.dialect(), traces, traces * 4, seconds,
        traces * 4 / seconds, listMs);
  }
}
