package dev.keel.agent;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * What the agent runtime adds to the model calls it makes: N runs of a three-step agent (two
 * tools in sequence, then an answer) against a real Keel with its simulator, next to the same
 * number of plain gateway calls, then N runs with 8 at once. Prints milliseconds.
 */
public final class AgentBench {

  private AgentBench() {}

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 200;
    Path dir = Files.createTempDirectory("agent-bench");
    try (KeelHarness keel = new KeelHarness(dir)) {
      Agent agent = keel.agent("bench", "gpt-4o-mini").tools(new ShopTools())
          .instructions("[[sim usage prompt=50 completion=10 tools=lookupOrder({\"orderId\":"
              + "\"1\"}),refund({\"orderId\":\"1\",\"amount\":2})]]").build();
      for (int i = 0; i < 20; i++) {
        agent.run("warm up " + i);
        plainCall(keel, i);
      }
      long[] runs = new long[n];
      long[] calls = new long[n * 3];
      for (int i = 0; i < n; i++) {
        long t = System.nanoTime();
        AgentResult r = agent.run("order question " + i);
        runs[i] = System.nanoTime() - t;
        if (!r.completed() || r.steps() != 3) {
          throw new IllegalStateException("unexpected run: " + r.status() + " " + r.reason());
        }
      }
      for (int i = 0; i < calls.length; i++) {
        long t = System.nanoTime();
        plainCall(keel, i);
        calls[i] = System.nanoTime() - t;
      }
      long[] nested = new long[n * 3];
      String traceId = "bench-" + System.nanoTime();
      for (int i = 0; i < nested.length; i++) {
        long t = System.nanoTime();
        plainCall(keel, i, "x-keel-trace-id", traceId, "x-keel-parent-observation-id", "a1");
        nested[i] = System.nanoTime() - t;
      }
      Agent bare = keel.agent("bare", "gpt-4o-mini")
          .instructions("[[sim usage prompt=50 completion=10]]").build();
      long[] bareRuns = new long[n];
      for (int i = 0; i < n; i++) {
        long t = System.nanoTime();
        bare.run("bare question " + i);
        bareRuns[i] = System.nanoTime() - t;
      }
      long wall = concurrent(agent, n, 8);
      System.out.printf("runs: %d, 3 model calls + 2 tools each%n", n);
      System.out.printf("agent run      p50 %.2f ms  p99 %.2f ms%n", p(runs, 50), p(runs, 99));
      System.out.printf("3 plain calls  p50 %.2f ms%n", 3 * p(calls, 50));
      System.out.printf("3 nested calls p50 %.2f ms (x-keel-trace-id, parent observation)%n",
          3 * p(nested, 50));
      System.out.printf("1-step run     p50 %.2f ms (no tools)%n", p(bareRuns, 50));
      System.out.printf("8 at once      %.1f runs/s%n", n / (wall / 1e9));
    }
  }

  private static long concurrent(Agent agent, int n, int threads) throws Exception {
    try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
      long t = System.nanoTime();
      Future<?>[] fs = new Future<?>[n];
      for (int i = 0; i < n; i++) {
        int k = i;
        fs[i] = pool.submit(() -> agent.run("parallel question " + k));
      }
      for (Future<?> f : fs) {
        f.get();
      }
      return System.nanoTime() - t;
    }
  }

  private static final HttpClient HTTP = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1).build();

  private static void plainCall(KeelHarness keel, int i, String... headers) throws Exception {
    String body = "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"system\",\"content\":"
        + "\"[[sim usage prompt=50 completion=10]]\"},{\"role\":\"user\",\"content\":\"q " + i
        + "\"}]}";
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(keel.baseUrl()
        + "/v1/chat/completions")).header("authorization", "Bearer " + KeelHarness.MASTER_KEY)
        .header("content-type", "application/json").headers(extra(headers))
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IllegalStateException(r.body());
    }
  }

  private static String[] extra(String[] headers) {
    return headers.length == 0 ? new String[] {"x-bench", "1"} : headers;
  }

  private static double p(long[] nanos, int pct) {
    long[] s = nanos.clone();
    Arrays.sort(s);
    return s[Math.min(s.length - 1, s.length * pct / 100)] / 1e6;
  }
}
