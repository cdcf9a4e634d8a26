package dev.keel.server;

import dev.keel.core.cost.Cost;
import dev.keel.core.trace.Level;
import dev.keel.core.trace.Observation;
import dev.keel.core.trace.ObservationType;
import dev.keel.core.trace.Trace;
import dev.keel.core.usage.Usage;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Not run by the build (no Test or IT suffix); run with
 * {@code mvn -B -o -pl keel-server verify -Dtest=CostFeaturesBench} and read the MEASURE lines
 * in target/surefire-reports/dev.keel.server.CostFeaturesBench-output.txt: gateway overhead of
 * a cache miss with and without the semantic cache, and the cost report over 20,000 stored
 * generations on SQLite.
 */
class CostFeaturesBench {

  @TempDir
  Path dir;

  @Test
  void semanticCacheMissOverhead() throws Exception {
    System.setProperty("DJL_CACHE_DIR", Path.of("target", "djl").toAbsolutePath().toString());
    for (String yaml : List.of("cache: {enabled: true}\n",
        "cache: {enabled: true, semantic: {enabled: true}}\n")) {
      try (var k = KeelFixture.start(Files.createTempDirectory(dir, "m"), yaml)) {
        k.chat(body("warm up " + UUID.randomUUID()));
        double[] ms = new double[200];
        for (int i = 0; i < ms.length; i++) {
          var r = k.chat(body("question number " + i + " about " + UUID.randomUUID()));
          ms[i] = Double.parseDouble(r.headers().firstValue("x-keel-overhead-ms")
              .orElseThrow());
        }
        Arrays.sort(ms);
        System.err.println("MEASURE " + yaml.strip() + ": overhead of a miss p50 " + ms[100]
            + " ms, p95 " + ms[190] + " ms");
      }
    }
  }

  @Test
  void costReportOver20000Generations() throws Exception {
    try (var k = KeelFixture.start(Files.createTempDirectory(dir, "r"))) {
      Instant t0 = Instant.now().minus(Duration.ofDays(10));
      for (int b = 0; b < 20; b++) {
        var traces = new ArrayList<Trace>();
        var obs = new ArrayList<Observation>();
        for (int i = 0; i < 1000; i++) {
          Instant at = t0.plusSeconds(b * 40_000L + i * 40L);
          String id = UUID.randomUUID().toString();
          traces.add(new Trace(id, KeelFixture.PROJECT, "chat", at, "u" + i % 50, null, null,
              null, "{\"keel_key_id\":\"k" + i % 20 + "\",\"keel_key_team\":\"t" + i % 5 + "\"}",
              List.of(), null, null, null, false));
          obs.add(generation(id, at, i));
        }
        k.server.store().traces().write(traces, obs);
      }
      for (String by : List.of("model", "key", "user", "team", "prompt", "day")) {
        long best = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
          long s = System.nanoTime();
          var r = k.get("/api/keel/reports/cost?groupBy=" + by, "authorization",
              KeelFixture.bearerMaster());
          best = Math.min(best, System.nanoTime() - s);
          if (r.statusCode() != 200) {
            throw new AssertionError(r.body());
          }
        }
        System.err.println("MEASURE cost report groupBy=" + by + " over 20000 generations: "
            + "best of 5 " + best / 1_000_000 + " ms");
      }
    }
  }

  private static Observation generation(String traceId, Instant at, int i) {
    return new Observation(UUID.randomUUID().toString(), traceId, KeelFixture.PROJECT, null,
        ObservationType.GENERATION, "chat", at, at.plusMillis(300), null,
        i % 2 == 0 ? "gpt-4o" : "gpt-4o-mini", null, null, null,
        i % 10 == 0 ? "{\"cache_hit\":true,\"cache_saving_usd\":\"0.001\"}" : null,
        Level.DEFAULT, null, new Usage(Map.of(Usage.INPUT, 500L, Usage.INPUT_CACHED, 100L,
            Usage.OUTPUT, 50L), false),
        new Cost(Map.of(Cost.TOTAL, new BigDecimal("0.0012"))), null, null, null);
  }

  private static String body(String content) {
    return "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\""
        + content + "\"}]}";
  }
}
