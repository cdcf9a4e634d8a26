package dev.keel.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keel.server.KeelServer;
import dev.keel.server.ServerSettings;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code keel bench ingestion}: Langfuse batch ingestion into a Keel started in-process, with
 * the payload of CONTRACTS.md: batches of 50 events of about 1 KB, half creates and half updates
 * of observations created in the client's previous batch, from concurrent clients. Only events
 * acknowledged in a 207 without errors count; the answer comes after the commit, so the ack
 * latency is the commit latency a client sees. It also reports the process's CPU in the
 * measured window, per 1,000 observations and by thread (JIT, trace writer, request threads, load
 * generator), which moves less than throughput when the machine is shared.
 */
@Command(name = "ingestion", mixinStandardHelpOptions = true,
    description = "Ingestion throughput and commit (ack) latency into SQLite, or PostgreSQL "
        + "with --database-url.")
final class IngestionBenchCommand implements Runnable {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String PK = "pk-lf-bench";
  private static final String SK = "sk-lf-bench";
  private static final int EVENTS = 50;
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
  // About 800 characters of prose in each input and output, so that token counting (priced
  // generations without usage are counted) works on words as it does on real traffic. A run of
  // one repeated letter is a single 800-character word to a BPE tokenizer, about 3x the work.
  private static final String PAD = ("The customer asked why the invoice for March shows two "
      + "charges for the same order. The assistant looked up the account, found that the first "
      + "payment failed and was retried the next day, and explained that the earlier charge "
      + "was only an authorisation that the bank releases within five working days. ")
      .repeat(4).substring(0, 800);

  @Option(names = "--database-url", description = "PostgreSQL URL (default: SQLite in a temp dir)")
  String databaseUrl;

  @Option(names = "--clients", defaultValue = "4", description = "concurrent clients (default: 4)")
  int clients;

  @Option(names = "--seconds", defaultValue = "20", description = "measured run (default: 20)")
  int seconds;

  // Long enough for the JIT compiler to settle on 2 busy cores: after 5 s it still used a third
  // of the process's CPU in the measured window, after 10 s a sixth (4 of 23 core-seconds).
  @Option(names = "--warmup", defaultValue = "20",
      description = "unmeasured run first (default: 20)")
  int warmup;

  @Override
  public void run() {
    try {
      Path data = Files.createTempDirectory("keel-bench-ingestion");
      var env = Map.of("KEEL_MASTER_KEY", "sk-keel-bench-" + UUID.randomUUID(),
          "KEEL_INIT_PROJECT_PUBLIC_KEY", PK, "KEEL_INIT_PROJECT_SECRET_KEY", SK,
          "OPENAI_BASE_URL", "http://127.0.0.1:9/v1");
      try (KeelServer keel = KeelServer.start(new ServerSettings("127.0.0.1", 0, data,
          databaseUrl, null, env))) {
        System.out.printf(Locale.ROOT, "machine: %d cores, %d MiB max heap, Java %s; store: %s%n",
            Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20,
            System.getProperty("java.version"), keel.store().dialect());
        String url = "http://127.0.0.1:" + keel.port() + "/api/public/ingestion";
        measure(url, warmup, false);
        measure(url, seconds, true);
      } finally {
        // The SQLite file of a 25 s run is about 300 MB; nothing reads it afterwards.
        deleteTree(data);
      }
    } catch (IOException e) {
      throw new IllegalStateException("benchmark failed: " + e.getMessage(), e);
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    try (var paths = Files.walk(dir)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  private void measure(String url, int secs, boolean report) {
    var histogram = new Histogram(60_000_000_000L, 3);
    var committed = new AtomicLong();
    var failed = new AtomicLong();
    var clientCpu = new AtomicLong();
    // One client for all threads, so that its own threads (selector, executor) can be found by
    // name and their CPU counted as the load generator's.
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    long httpCpu0 = cpuOfThreads("HttpClient-");
    Map<String, Long> threads0 = threadTicks();
    long cpu0 = processCpuNanos();
    long t0 = System.nanoTime();
    long end = t0 + Duration.ofSeconds(secs).toNanos();
    var threads = new ArrayList<Thread>();
    for (int i = 0; i < clients; i++) {
      threads.add(Thread.ofPlatform().start(() -> {
        long own0 = THREADS.getCurrentThreadCpuTime();
        client(http, url, end, histogram, committed, failed);
        clientCpu.addAndGet(THREADS.getCurrentThreadCpuTime() - own0);
      }));
    }
    for (Thread t : threads) {
      try {
        t.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
    double wall = (System.nanoTime() - t0) / 1e9;
    double cpu = (processCpuNanos() - cpu0) / 1e9;
    double load = (clientCpu.get() + cpuOfThreads("HttpClient-") - httpCpu0) / 1e9;
    Map<String, Long> threads1 = threadTicks();
    if (report) {
      System.out.printf(Locale.ROOT, "batches: %d of %d events (~%d bytes each), %d clients, "
          + "%d s%n", histogram.getTotalCount(), EVENTS, 1024, clients, secs);
      System.out.printf(Locale.ROOT, "committed: %d events, %.0f observations/s; failed: %d%n",
          committed.get(), committed.get() / (double) secs, failed.get());
      System.out.printf(Locale.ROOT, "ack latency ms: p50 %.1f, p99 %.1f, max %.1f%n",
          histogram.getValueAtPercentile(50) / 1e6, histogram.getValueAtPercentile(99) / 1e6,
          histogram.getMaxValue() / 1e6);
      // CPU is steadier than throughput on a shared machine: it counts only this process.
      System.out.printf(Locale.ROOT, "cpu: %.1f core-seconds over %.1f s (%.1f of %d cores), "
          + "%.1f ms per 1,000 committed observations; load generator %.1f core-seconds "
          + "(%.0f%%); system load average %.2f%n", cpu, wall, cpu / wall,
          Runtime.getRuntime().availableProcessors(),
          committed.get() == 0 ? 0 : cpu * 1e6 / committed.get(), load,
          cpu == 0 ? 0 : 100 * load / cpu,
          ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
      var used = new ArrayList<Map.Entry<String, Long>>();
      threads1.forEach((name, ticks) -> used.add(Map.entry(name,
          ticks - threads0.getOrDefault(name, 0L))));
      used.sort(Map.Entry.<String, Long>comparingByValue().reversed());
      if (!used.isEmpty()) {
        var top = new StringBuilder("cpu by thread (core-seconds):");
        used.stream().limit(8).forEach(e -> top.append(String.format(Locale.ROOT, " %s %.1f;",
            e.getKey(), e.getValue() / 100.0)));
        System.out.println(top);
      }
    }
  }

  // CPU ticks (1/100 s) of this process's threads by name, digits folded ("GC Thread#0" and
  // "GC Thread#1" are one "GC Thread#N"), from /proc; empty where there is no /proc. It sees
  // what the JVM's own beans do not: JIT compiler, GC and virtual threads' carriers.
  private static Map<String, Long> threadTicks() {
    var out = new TreeMap<String, Long>();
    try (var tasks = Files.list(Path.of("/proc/self/task"))) {
      for (Path t : tasks.toList()) {
        try {
          String stat = Files.readString(t.resolve("stat"));
          String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'))
              .replaceAll("[0-9]+", "N");
          String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
          out.merge(name, Long.parseLong(f[11]) + Long.parseLong(f[12]), Long::sum);
        } catch (IOException | RuntimeException e) {
          // the thread ended meanwhile
        }
      }
    } catch (IOException e) {
      return Map.of();
    }
    return out;
  }

  private static long processCpuNanos() {
    return ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean os ? os.getProcessCpuTime() : 0;
  }

  private static long cpuOfThreads(String namePrefix) {
    long sum = 0;
    for (ThreadInfo t : THREADS.getThreadInfo(THREADS.getAllThreadIds())) {
      if (t != null && t.getThreadName().startsWith(namePrefix)) {
        sum += Math.max(0, THREADS.getThreadCpuTime(t.getThreadId()));
      }
    }
    return sum;
  }

  private static void client(HttpClient http, String url, long end, Histogram histogram,
      AtomicLong committed, AtomicLong failed) {
    String auth = "Basic " + Base64.getEncoder().encodeToString(
        (PK + ":" + SK).getBytes(StandardCharsets.UTF_8));
    List<String> previous = List.of();
    while (System.nanoTime() < end) {
      String traceId = UUID.randomUUID().toString();
      var created = new ArrayList<String>();
      byte[] body = batch(traceId, previous, created, PAD);
      long start = System.nanoTime();
      try {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url))
            .header("authorization", auth).header("content-type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
            HttpResponse.BodyHandlers.ofString());
        long took = System.nanoTime() - start;
        synchronized (histogram) {
          histogram.recordValue(Math.min(took, histogram.getHighestTrackableValue()));
        }
        JsonNode answer = r.statusCode() == 207 ? JSON.readTree(r.body()) : null;
        if (answer != null && answer.get("errors").isEmpty()) {
          committed.addAndGet(answer.get("successes").size());
        } else {
          failed.addAndGet(EVENTS);
        }
      } catch (IOException e) {
        failed.addAndGet(EVENTS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      previous = created;
    }
  }

  // One trace-create and 24 observation creates, then 25 updates of the previous batch's.
  private static byte[] batch(String traceId, List<String> previous, List<String> created,
      String pad) {
    String now = Instant.now().toString();
    var sb = new StringBuilder(EVENTS * 1100).append("{\"batch\":[");
    event(sb, "trace-create", now, "{\"id\":\"" + traceId + "\",\"name\":\"bench\","
        + "\"userId\":\"u1\",\"sessionId\":\"s1\",\"input\":\"" + pad + "\"}");
    for (int i = 0; i < EVENTS / 2 - 1; i++) {
      String id = UUID.randomUUID().toString();
      created.add(id);
      event(sb, i % 2 == 0 ? "span-create" : "generation-create", now, "{\"id\":\"" + id
          + "\",\"traceId\":\"" + traceId + "\",\"name\":\"step\",\"startTime\":\"" + now
          + "\",\"model\":\"gpt-4o\",\"input\":\"" + pad + "\"}");
    }
    for (int i = 0; i < EVENTS / 2; i++) {
      String id = previous.isEmpty() ? created.get(i % created.size())
          : previous.get(i % previous.size());
      event(sb, "generation-update", now, "{\"id\":\"" + id + "\",\"endTime\":\"" + now
          + "\",\"output\":\"" + pad + "\",\"usageDetails\":{\"input\":200,\"output\":50}}");
    }
    sb.setLength(sb.length() - 1);
    return sb.append("]}").toString().getBytes(StandardCharsets.UTF_8);
  }

  private static void event(StringBuilder sb, String type, String now, String body) {
    sb.append("{\"id\":\"").append(UUID.randomUUID()).append("\",\"type\":\"").append(type)
        .append("\",\"timestamp\":\"").append(now).append("\",\"body\":").append(body)
        .append("},");
  }
}
