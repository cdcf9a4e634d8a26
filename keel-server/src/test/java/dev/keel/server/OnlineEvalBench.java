package dev.keel.server;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Not run by the build (no Test or IT suffix); run with
 * {@code mvn -B -o -pl keel-server test -Dtest=OnlineEvalBench} and read the MEASURE lines in
 * target/surefire-reports/dev.keel.server.OnlineEvalBench-output.txt: the gateway's added
 * latency ({@code x-keel-overhead-ms}) with no rule and with a rule scoring every trace, and
 * how fast the evaluator scores the traces behind the requests.
 */
class OnlineEvalBench {

  private static final int REQUESTS = 2000;

  @TempDir
  Path dir;

  @Test
  void overheadAndScoringThroughput() throws Exception {
    String rule = """
        online_eval:
          rules:
            - name: every
              delay_seconds: 0
              scorers: [json_valid, {name: regex, options: {pattern: "\\\\w"}},
                        {name: latency, options: {max_ms: 1000}}]
        """;
    for (String yaml : List.of("", rule)) {
      try (var k = KeelFixture.start(Files.createTempDirectory(dir, "b"),
          yaml.isEmpty() ? null : yaml)) {
        for (int i = 0; i < 500; i++) {
          k.chat(body("warm up " + i));
        }
        long scoredBefore = scored(k);
        double[] ms = new double[REQUESTS];
        long t0 = System.nanoTime();
        for (int i = 0; i < REQUESTS; i++) {
          var r = k.chat(body("question number " + i));
          ms[i] = Double.parseDouble(r.headers().firstValue("x-keel-overhead-ms")
              .orElseThrow());
        }
        double sendSeconds = (System.nanoTime() - t0) / 1e9;
        Arrays.sort(ms);
        String name = yaml.isEmpty() ? "no rule" : "rule scoring every trace (3 scorers)";
        System.err.printf("MEASURE %s: overhead p50 %.3f ms, p99 %.3f ms over %d sequential "
            + "requests (%.1f s)%n", name, ms[REQUESTS / 2], ms[REQUESTS * 99 / 100], REQUESTS,
            sendSeconds);
        if (!yaml.isEmpty()) {
          long target = scoredBefore + 3L * REQUESTS;
          while (scored(k) < target && System.nanoTime() - t0 < 300e9) {
            Thread.sleep(50);
          }
          double all = (System.nanoTime() - t0) / 1e9;
          System.err.printf("MEASURE %s: %d scores stored %.1f s after the first request, "
              + "%.1f s after the last (%.0f traces/s scored overall)%n", name,
              scored(k) - scoredBefore, all, all - sendSeconds, REQUESTS / all);
        }
      }
    }
  }

  private static long scored(KeelFixture k) {
    String metrics = k.get("/metrics", "authorization", KeelFixture.bearerMaster()).body();
    long n = 0;
    for (String line : metrics.split("\n")) {
      if (line.startsWith("keel_online_eval_scored_total{")) {
        n += Long.parseLong(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return n;
  }

  private static String body(String question) {
    return "{\"model\": \"gpt-4o-mini\", \"messages\": [{\"role\": \"user\", \"content\": \""
        + question + "\"}]}";
  }
}
