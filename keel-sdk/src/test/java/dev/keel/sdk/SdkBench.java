package dev.keel.sdk;

import dev.keel.server.KeelServer;
import dev.keel.server.ServerSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * Measures what the SDK costs the application thread per recorded step, and how many events per
 * second one client delivers to a real Keel (SQLite in a temporary folder). Run with the test
 * classpath; see docs/sdk.md.
 */
final class SdkBench {

  private static final String PK = "pk-lf-bench0123456789abcdefghijklmnopqrstuvwx";
  private static final String SK = "sk-lf-bench0123456789abcdefghijklmnopqrstuvwx";

  private SdkBench() {
  }

  public static void main(String[] args) throws Exception {
    int traces = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
    Path dir = Files.createTempDirectory("keel-sdk-bench");
    try (KeelServer server = KeelServer.start(new ServerSettings("127.0.0.1", 0, dir, null,
        null, Map.of("KEEL_INIT_PROJECT_PUBLIC_KEY", PK, "KEEL_INIT_PROJECT_SECRET_KEY", SK)));
        KeelClient keel = new KeelClientBuilder(Map.of())
            .baseUrl("http://127.0.0.1:" + server.port()).publicKey(PK).secretKey(SK)
            .flushAt(100).maxQueueSize(200_000).shutdownHook(false).build()) {
      record(keel, 2_000);
      keel.flush(Duration.ofSeconds(60));
      ExportStats before = keel.stats();

      long start = System.nanoTime();
      record(keel, traces);
      long recordNanos = System.nanoTime() - start;
      boolean flushed = keel.flush(Duration.ofSeconds(120));
      long totalNanos = System.nanoTime() - start;

      ExportStats after = keel.stats();
      long events = after.sent() - before.sent();
      System.out.printf("traces=%d steps=%d events=%d%n", traces, traces * 3L, events);
      System.out.printf("app thread: %.2f us per step (trace, span, generation with usage)%n",
          recordNanos / 1000.0 / (traces * 3.0));
      System.out.printf("app thread without export (no keys): %.2f us per step%n",
          withoutExport(traces) / 1000.0 / (traces * 3.0));
      System.out.printf("delivered to Keel: %.0f events/s, flushed=%s, %s%n",
          events / (totalNanos / 1e9), flushed, after);
    }
  }

  private static long withoutExport(int traces) {
    try (KeelClient off = new KeelClientBuilder(Map.of()).shutdownHook(false).build()) {
      record(off, traces);
      long start = System.nanoTime();
      record(off, traces);
      return System.nanoTime() - start;
    }
  }

  private static void record(KeelClient keel, int traces) {
    for (int i = 0; i < traces; i++) {
      try (Trace trace = keel.trace("bench").userId("u-" + (i % 100)).sessionId("s-" + i)) {
        try (Observation span = trace.span("retrieve")) {
          span.input("query " + i).output("doc " + i);
        }
        try (Observation gen = trace.generation("answer").model("gpt-4o-mini")) {
          gen.input("question " + i).output("answer " + i).usage(120, 40);
        }
      }
    }
  }
}
