package dev.keel.server.ui;

import dev.keel.core.cost.Cost;
import dev.keel.core.trace.Level;
import dev.keel.core.trace.Observation;
import dev.keel.core.trace.ObservationType;
import dev.keel.core.trace.Trace;
import dev.keel.core.usage.Usage;
import dev.keel.server.KeelServer;
import dev.keel.server.ServerSettings;
import dev.keel.store.Store;
import dev.keel.store.StoreConfig;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Page render times of the web UI over a large SQLite store (docs/benchmarks.md, "Web UI").
 * Writes {@code traces} traces of {@code perTrace} observations each through
 * {@code TraceStore.write}, plus one trace of 2,000 observations, starts Keel on that folder,
 * signs in and times each page over HTTP (server render plus loopback transfer).
 *
 * <p>Run: {@code java -cp <test classpath> dev.keel.server.ui.UiBench [traces] [perTrace]
 * [folder or PostgreSQL URL]}. A store that already holds the bench's traces is timed as it is,
 * without writing, so one fill serves several runs.
 */
public final class UiBench {

  private static final String KEY = "sk-keel-bench0123456789abcdefghijklmnopqrstuvwxyz";
  private static final int RUNS = 30;

  private UiBench() {}

  public static void main(String[] args) throws Exception {
    int traces = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
    int perTrace = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    String target = args.length > 2 ? args[2] : null;
    boolean postgres = target != null && target.startsWith("postgres");
    Path dir = target == null || postgres ? Files.createTempDirectory("keel-ui-bench")
        : Files.createDirectories(Path.of(target));
    StoreConfig config = postgres ? StoreConfig.postgres(target) : StoreConfig.sqlite(dir);
    if (filled(config)) {
      System.out.println("timing the store in " + (postgres ? "PostgreSQL" : dir) + " as it is");
    } else {
      long t0 = System.nanoTime();
      fill(config, traces, perTrace);
      System.out.printf("wrote %d traces, %d observations in %.1f s%n", traces + 1,
          (long) traces * perTrace + 2000, (System.nanoTime() - t0) / 1e9);
    }
    try (KeelServer keel = KeelServer.start(new ServerSettings("127.0.0.1", 0, dir,
        postgres ? target : null, null, Map.of("KEEL_MASTER_KEY", KEY)))) {
      time(keel.port());
    }
  }

  private static boolean filled(StoreConfig config) {
    try (Store store = Store.open(config)) {
      return store.traces().findTrace("default", "big").isPresent();
    }
  }

  private static void fill(StoreConfig config, int traces, int perTrace) {
    Instant base = Instant.now().minus(Duration.ofDays(6));
    try (Store store = Store.open(config)) {
      List<Trace> ts = new ArrayList<>();
      List<Observation> os = new ArrayList<>();
      for (int i = 0; i < traces; i++) {
        Instant at = base.plusMillis(i * 25L);
        ts.add(trace("t" + i, at, "u" + (i % 500), "s" + (i % 3000)));
        for (int j = 0; j < perTrace; j++) {
          os.add(observation("t" + i, "t" + i + "-o" + j, j == 0 ? null : "t" + i + "-o0",
              at.plusMillis(j * 40L)));
        }
        if (ts.size() == 1000) {
          store.traces().write(ts, os);
          ts.clear();
          os.clear();
        }
      }
      ts.add(trace("big", base.plusSeconds(60), "u-big", null));
      for (int j = 0; j < 2000; j++) {
        os.add(observation("big", "big-o" + j, j == 0 ? null : "big-o" + (j / 10),
            base.plusSeconds(60).plusMillis(j * 3L)));
      }
      store.traces().write(ts, os);
    }
  }

  private static Trace trace(String id, Instant at, String user, String session) {
    return new Trace(id, "default", "bench-" + (id.hashCode() & 7), at, user, session,
        "{\"question\":\"benchmark question " + id + "\"}", "\"an answer\"", null,
        List.of("bench"), null, null, null, false);
  }

  private static Observation observation(String traceId, String id, String parent,
      Instant start) {
    return new Observation(id, traceId, "default", parent, ObservationType.GENERATION, "call",
        start, start.plusMillis(30), null, "gpt-4o-mini", null,
        "[{\"role\":\"user\",\"content\":\"hello\"}]", "{\"role\":\"assistant\",\"content\":"
        + "\"hi\"}", null, Level.DEFAULT, null, new Usage(Map.of("input", 10L, "output", 5L,
        "total", 15L), false), new Cost(Map.of("total", new BigDecimal("0.0000045"))), null,
        null, null);
  }

  private static void time(int port) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    String base = "http://127.0.0.1:" + port;
    HttpResponse<String> login = http.send(HttpRequest.newBuilder(URI.create(base + "/ui/login"))
        .header("content-type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString("key=" + KEY)).build(),
        HttpResponse.BodyHandlers.ofString());
    String cookie = login.headers().firstValue("set-cookie").orElseThrow().split(";")[0];
    // Page 300 as the "Older" link of page 299 leads to it (keyset paging, where the pager
    // offers it), besides page 300 asked for by number.
    String older = nextLink(http, base + "/ui/traces?page=299", cookie);
    for (String path : new String[] {"/ui/traces", "/ui/traces?page=300", older,
        "/ui/traces?user=u42", "/ui/traces?tags=bench&name=bench-3", "/ui/traces/t777",
        "/ui/traces/big", "/ui/sessions", "/ui/users/u42", "/ui", "/ui/cost",
        "/ui/cost/report"}) {
      long[] ms = new long[RUNS];
      long first = 0;
      int bytes = 0;
      for (int i = -3; i < RUNS; i++) {
        long s = System.nanoTime();
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + path))
            .header("cookie", cookie).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
          throw new IllegalStateException(path + " answered " + r.statusCode());
        }
        bytes = r.body().length();
        if (i == -3) {
          first = (System.nanoTime() - s) / 1_000;
        } else if (i >= 0) {
          ms[i] = (System.nanoTime() - s) / 1_000;
        }
      }
      Arrays.sort(ms);
      System.out.printf("%-40s first %7.1f ms  median %6.1f ms  p95 %6.1f ms  %7d chars%n",
          path.length() > 40 ? path.substring(0, 37) + "..." : path, first / 1000.0,
          ms[RUNS / 2] / 1000.0, ms[(int) (RUNS * 0.95)] / 1000.0, bytes);
    }
  }

  /** The href of the rel="next" link of a page, HTML entities undone. */
  private static String nextLink(HttpClient http, String url, String cookie) throws Exception {
    String body = http.send(HttpRequest.newBuilder(URI.create(url)).header("cookie", cookie)
        .build(), HttpResponse.BodyHandlers.ofString()).body();
    var m = java.util.regex.Pattern.compile("rel=\"next\" href=\"([^\"]*)\"").matcher(body);
    if (!m.find()) {
      throw new IllegalStateException(url + " has no next link");
    }
    return m.group(1).replace("&amp;", "&");
  }
}
