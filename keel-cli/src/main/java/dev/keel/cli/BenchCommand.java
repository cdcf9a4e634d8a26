package dev.keel.cli;

import dev.keel.server.KeelServer;
import dev.keel.server.ServerSettings;
import dev.keel.simulator.Simulator;
import dev.keel.simulator.SimulatorConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code keel bench gateway}: the latency Keel adds and the throughput it sustains, measured side
 * by side against the simulator in one run (CONTRACTS.md "Benchmark payloads").
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = "Benchmarks; see docs/benchmarks.md.",
    subcommands = {BenchCommand.Gateway.class, IngestionBenchCommand.class,
        ScorerBenchCommand.class})
final class BenchCommand implements Runnable {

  @Override
  public void run() {
    new picocli.CommandLine(this).usage(System.out);
  }

  @Command(name = "gateway", mixinStandardHelpOptions = true,
      description = "Added latency (sequential, alternating direct and through Keel) and "
          + "throughput with tracing on, against the in-process simulator.")
  static final class Gateway implements Runnable {

    @Option(names = "--requests", defaultValue = "5000",
        description = "sequential requests per side for the latency run (default: 5000)")
    int requests;

    @Option(names = "--warmup", defaultValue = "5000",
        description = "requests per side before measuring (default: 5000)")
    int warmup;

    @Option(names = "--connections", defaultValue = "32",
        description = "concurrent keep-alive connections for the throughput run (default: 32)")
    int connections;

    @Option(names = "--seconds", defaultValue = "10",
        description = "length of each throughput run (default: 10)")
    int seconds;

    @Option(names = "--with-limits", description = "call Keel with a virtual key that has a"
        + " budget, soft limits and rate limits (never reached), to measure their cost")
    boolean withLimits;

    @Override
    public void run() {
      try {
        bench();
      } catch (IOException | InterruptedException e) {
        throw new IllegalStateException("benchmark failed: " + e.getMessage(), e);
      }
    }

    private void bench() throws IOException, InterruptedException {
      Path data = Files.createTempDirectory("keel-bench");
      var env = new HashMap<String, String>();
      String key = "sk-keel-bench-" + Long.toHexString(System.nanoTime());
      env.put("KEEL_MASTER_KEY", key);
      try (Simulator sim = Simulator.start(new SimulatorConfig("127.0.0.1", 0, null))) {
        env.put("OPENAI_BASE_URL", sim.baseUrl() + "/v1");
        env.put("OPENAI_API_KEY", "sk-sim");
        try (KeelServer keel = KeelServer.start(new ServerSettings("127.0.0.1", 0, data, null,
            null, env))) {
          byte[] body = payload();
          System.out.printf(Locale.ROOT, "machine: %d cores, %d MiB max heap, Java %s%n",
              Runtime.getRuntime().availableProcessors(),
              Runtime.getRuntime().maxMemory() >> 20, System.getProperty("java.version"));
          System.out.printf("payload: %d bytes, 20 prompt + 5 completion tokens%n", body.length);
          String keelKey = withLimits ? BenchKeys.limitedKey(keel.port(), key) : key;
          latency(sim.port(), keel.port(), keelKey, body);
          throughput("direct to simulator", sim.port(), "/v1/chat/completions", "sk-sim", body);
          throughput("through Keel (tracing on)", keel.port(), "/v1/chat/completions", keelKey,
              body);
          keel.flushTraces();
          System.out.printf(Locale.ROOT, "%ntraces: %d written to SQLite, %d dropped%n",
              keel.tracesWritten(), keel.tracesDropped());
        }
      }
    }

    private void latency(int simPort, int keelPort, String key, byte[] body)
        throws IOException {
      var direct = new Histogram(3);
      var through = new Histogram(3);
      try (var d = new KeepAliveClient(simPort, "/v1/chat/completions", "sk-sim", body);
          var k = new KeepAliveClient(keelPort, "/v1/chat/completions", key, body)) {
        for (int i = 0; i < warmup; i++) {
          check(d.call());
          check(k.call());
        }
        for (int i = 0; i < requests; i++) {
          long t0 = System.nanoTime();
          check(d.call());
          long t1 = System.nanoTime();
          check(k.call());
          long t2 = System.nanoTime();
          direct.recordValue((t1 - t0) / 1000);
          through.recordValue((t2 - t1) / 1000);
        }
      }
      System.out.printf(Locale.ROOT, "%nlatency, %d sequential requests each, alternating:%n",
          requests);
      row("direct", direct);
      row("through Keel", through);
      System.out.printf(Locale.ROOT, "  added by Keel: p50 %.3f ms, p99 %.3f ms%n",
          (through.getValueAtPercentile(50) - direct.getValueAtPercentile(50)) / 1000.0,
          (through.getValueAtPercentile(99) - direct.getValueAtPercentile(99)) / 1000.0);
    }

    private void throughput(String label, int port, String path, String key, byte[] body)
        throws InterruptedException {
      var done = new AtomicLong();
      var failed = new AtomicLong();
      var stop = new AtomicBoolean();
      var threads = new ArrayList<Thread>();
      for (int c = 0; c < connections; c++) {
        threads.add(Thread.ofVirtual().start(() -> {
          try (var client = new KeepAliveClient(port, path, key, body)) {
            while (!stop.get()) {
              if (client.call() == 200) {
                done.incrementAndGet();
              } else {
                failed.incrementAndGet();
              }
            }
          } catch (IOException e) {
            failed.incrementAndGet();
          }
        }));
      }
      Thread.sleep(2000);
      long start = done.get();
      long t0 = System.nanoTime();
      Thread.sleep(seconds * 1000L);
      long n = done.get() - start;
      double elapsed = (System.nanoTime() - t0) / 1e9;
      stop.set(true);
      for (Thread t : threads) {
        t.join();
      }
      System.out.printf(Locale.ROOT, "%nthroughput %s, %d connections, %d s: %.0f req/s "
          + "(%d failed)%n", label, connections, seconds, n / elapsed, failed.get());
    }

    private static void row(String label, Histogram h) {
      System.out.printf(Locale.ROOT, "  %-14s p50 %.3f ms  p90 %.3f ms  p99 %.3f ms%n", label,
          h.getValueAtPercentile(50) / 1000.0, h.getValueAtPercentile(90) / 1000.0,
          h.getValueAtPercentile(99) / 1000.0);
    }

    private static void check(int status) {
      if (status != 200) {
        throw new IllegalStateException("benchmark request failed with HTTP " + status);
      }
    }

    /** About 1 KB: a system and a user message; the directive fixes usage at 20 and 5. */
    static byte[] payload() {
      String filler = "Keel benchmark payload. ".repeat(36);
      String json = "{\"model\":\"gpt-4o-mini\",\"messages\":["
          + "{\"role\":\"system\",\"content\":\"You are a concise assistant. "
          + "[[sim usage prompt=20 completion=5]]\"},"
          + "{\"role\":\"user\",\"content\":\"" + filler + "Summarise this.\"}]}";
      return json.getBytes(StandardCharsets.UTF_8);
    }
  }
}
