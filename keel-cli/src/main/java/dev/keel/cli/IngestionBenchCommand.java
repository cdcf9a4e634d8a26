package dev.keel.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keel.server.KeelServer;
import dev.keel.server.ServerSettings;
import java.io.IOException;
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
 * latency is the commit latency a client sees.
 */
@Command(name = "ingestion", mixinStandardHelpOptions = true,
    description = "Ingestion throughput and commit (ack) latency into SQLite, or PostgreSQL "
        + "with --database-url.")
final class IngestionBenchCommand implements Runnable {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String PK = "pk-lf-bench";
  private static final String SK = "sk-lf-bench";
  private static final int EVENTS = 50;

  @Option(names = "--database-url", description = "PostgreSQL URL (default: SQLite in a temp dir)")
  String databaseUrl;

  @Option(names = "--clients", defaultValue = "4", description = "concurrent clients (default: 4)")
  int clients;

  @Option(names = "--seconds", defaultValue = "20", description = "measured run (default: 20)")
  int seconds;

  @Option(names = "--warmup", defaultValue = "5", description = "unmeasured run first (default: 5)")
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
      }
    } catch (IOException e) {
      throw new IllegalStateException("benchmark failed: " + e.getMessage(), e);
    }
  }

  private void measure(String url, int secs, boolean report) {
    var histogram = new Histogram(60_000_000_000L, 3);
    var committed = new AtomicLong();
    var failed = new AtomicLong();
    long end = System.nanoTime() + Duration.ofSeconds(secs).toNanos();
    var threads = new ArrayList<Thread>();
    for (int i = 0; i < clients; i++) {
      threads.add(Thread.ofPlatform().start(() -> client(url, end, histogram, committed,
          failed)));
    }
    for (Thread t : threads) {
      try {
        t.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
    if (report) {
      System.out.printf(Locale.ROOT, "batches: %d of %d events (~%d bytes each), %d clients, "
          + "%d s%n", histogram.getTotalCount(), EVENTS, 1024, clients, secs);
      System.out.printf(Locale.ROOT, "committed: %d events, %.0f observations/s; failed: %d%n",
          committed.get(), committed.get() / (double) secs, failed.get());
      System.out.printf(Locale.ROOT, "ack latency ms: p50 %.1f, p99 %.1f, max %.1f%n",
          histogram.getValueAtPercentile(50) / 1e6, histogram.getValueAtPercentile(99) / 1e6,
          histogram.getMaxValue() / 1e6);
    }
  }

  private static void client(String url, long end, Histogram histogram, AtomicLong committed,
      AtomicLong failed) {
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    String auth = "Basic " + Base64.getEncoder().encodeToString(
        (PK + ":" + SK).getBytes(StandardCharsets.UTF_8));
    List<String> previous = List.of();
    String pad = "x".repeat(800);
    while (System.nanoTime() < end) {
      String traceId = UUID.randomUUID().toString();
      var created = new ArrayList<String>();
      byte[] body = batch(traceId, previous, created, pad);
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
