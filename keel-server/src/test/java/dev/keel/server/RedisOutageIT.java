package dev.keel.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.lettuce.core.RedisClient;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keel on a Redis of this test's own ({@code redis-server} on a free port, no persistence):
 * when Redis dies mid-run, requests keep being answered, with budgets and rate limits held in
 * the instance (spend seeded from the store), and counting goes back to Redis when it returns.
 */
class RedisOutageIT {

  @TempDir
  Path dir;
  private final String prefix = "keel-outage-it:" + UUID.randomUUID() + ":";
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .build();
  private int port;
  private Process redis;
  private KeelServer keel;

  @BeforeEach
  void start() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    redis = startRedis();
    keel = KeelServer.start(new ServerSettings("127.0.0.1", 0, dir.resolve("data"), null, null,
        Map.of("KEEL_MASTER_KEY", KeelFixture.MASTER_KEY, "KEEL_REDIS_URL",
            "redis://127.0.0.1:" + port, "KEEL_REDIS_PREFIX", prefix)));
  }

  @AfterEach
  void stop() throws Exception {
    keel.close();
    if (redis.isAlive()) {
      redis.destroy();
      redis.waitFor(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void redisDiesMidRun_requestsAnsweredWithLimitsPerInstance_thenSharedAgainWhenItReturns()
      throws Exception {
    awayFromMinuteEnd();
    String rpmKey = createKey("{\"name\":\"rpm\",\"rpm\":4}");
    List<Integer> before = statuses(rpmKey, 2);
    BigDecimal perCall = new BigDecimal(chat(KeelFixture.MASTER_KEY).headers()
        .firstValue("x-keel-cost-usd").orElseThrow());
    String budgetKey = createKey("{\"name\":\"budget\",\"budget\":{\"limit_usd\":"
        + perCall.multiply(new BigDecimal("2.5")).toPlainString() + ",\"period\":\"total\"}}");
    String upBefore = metric("keel_limits_redis_up");

    redis.destroy();
    redis.waitFor(10, TimeUnit.SECONDS);
    List<Integer> rpmDuring = statuses(rpmKey, 5);
    List<Integer> budgetDuring = statuses(budgetKey, 4);
    int plain = chat(KeelFixture.MASTER_KEY).statusCode();
    String upDuring = metric("keel_limits_redis_up");
    String failovers = metric("keel_limits_redis_failovers_total");
    redis = startRedis();
    boolean back = waitForMetric("keel_limits_redis_up", "1");
    String afterKey = createKey("{\"name\":\"after\",\"rpm\":10}");
    int after = chat(afterKey).statusCode();

    assertThat(before).containsExactly(200, 200);
    assertThat(upBefore).isEqualTo("1");
    // The instance counts this minute afresh: 4 more for the rpm key, then its 429.
    assertThat(rpmDuring).containsExactly(200, 200, 200, 200, 429);
    // Spent + reserved < limit: after 3 calls $3 >= $2.5 and the 4th is refused.
    assertThat(budgetDuring).containsExactly(200, 200, 200, 429);
    assertThat(plain).isEqualTo(200);
    assertThat(upDuring).isEqualTo("0");
    assertThat(failovers).as("one outage, however many requests it met").isEqualTo("1");
    assertThat(back).isTrue();
    assertThat(after).isEqualTo(200);
    assertThat(redisKeys("r:key:*")).as("rate counters are in Redis again").isNotEmpty();
  }

  private Process startRedis() throws Exception {
    Process p = new ProcessBuilder("redis-server", "--port", String.valueOf(port), "--bind",
        "127.0.0.1", "--save", "", "--appendonly", "no").redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    for (int i = 0; i < 100; i++) {
      try (var s = new java.net.Socket("127.0.0.1", port)) {
        return p;
      } catch (IOException notYet) {
        Thread.sleep(50);
      }
    }
    throw new IllegalStateException("redis-server did not start on port " + port);
  }

  private List<String> redisKeys(String pattern) {
    RedisClient c = RedisClient.create("redis://127.0.0.1:" + port);
    try (var conn = c.connect()) {
      return conn.sync().keys(prefix + pattern);
    } finally {
      c.shutdown();
    }
  }

  private List<Integer> statuses(String key, int n) throws Exception {
    var out = new ArrayList<Integer>();
    for (int i = 0; i < n; i++) {
      HttpResponse<String> r = chat(key);
      assertThat(r.statusCode()).as(r.body()).isIn(200, 429);
      out.add(r.statusCode());
    }
    return out;
  }

  private String createKey(String body) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(url("/api/keel/keys"))
        .header("authorization", KeelFixture.bearerMaster())
        .header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    JsonNode n = KeelFixture.json(r);
    return n.path("key").asText();
  }

  private HttpResponse<String> chat(String key) throws Exception {
    return http.send(HttpRequest.newBuilder(url("/v1/chat/completions"))
        .timeout(Duration.ofSeconds(20)).header("authorization", "Bearer " + key)
        .header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"gpt-4o-mini\",\"messages\":"
            + "[{\"role\":\"user\",\"content\":\"hello\"}]}")).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private String metric(String name) throws Exception {
    String body = http.send(HttpRequest.newBuilder(url("/metrics"))
        .header("authorization", KeelFixture.bearerMaster()).build(),
        HttpResponse.BodyHandlers.ofString()).body();
    return body.lines().filter(l -> l.startsWith(name + " ")).map(l -> l.substring(
        name.length() + 1).strip()).findFirst().orElse("absent");
  }

  private boolean waitForMetric(String name, String value) throws Exception {
    for (int i = 0; i < 100; i++) {
      if (metric(name).equals(value)) {
        return true;
      }
      Thread.sleep(100);
    }
    return false;
  }

  private URI url(String path) {
    return URI.create("http://127.0.0.1:" + keel.port() + path);
  }

  /** Rate windows are whole minutes: start well inside one so all requests share it. */
  private static void awayFromMinuteEnd() throws InterruptedException {
    long intoMinute = Instant.now().toEpochMilli() % 60_000;
    if (intoMinute > 40_000) {
      Thread.sleep(60_000 - intoMinute + 100);
    }
  }
}
