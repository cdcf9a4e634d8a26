package dev.keel.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two Keel instances on one PostgreSQL schema and one Redis (127.0.0.1, a key prefix of this
 * test's own): a budget or rate limit holds once for the cluster, not once per instance
 * (LiteLLM needed Redis for this and read counters from a different store than it wrote), and
 * spend outlives the instances.
 */
class ClusterLimitsIT {

  private static final String ADMIN_URL = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";

  @TempDir
  Path dir;
  private final String schema = "keel_cluster_it_" + UUID.randomUUID().toString()
      .replace("-", "");
  private final String prefix = "keel-cluster-it:" + UUID.randomUUID() + ":";
  private final List<KeelServer> servers = new ArrayList<>();
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .build();

  @BeforeEach
  void createSchema() throws Exception {
    exec("CREATE SCHEMA " + schema);
  }

  @AfterEach
  void stop() throws Exception {
    servers.forEach(KeelServer::close);
    exec("DROP SCHEMA " + schema + " CASCADE");
  }

  @Test
  void budget_twoInstances_enforcedOnceForTheCluster() throws Exception {
    KeelServer a = start("a", prefix);
    KeelServer b = start("b", prefix);
    BigDecimal perCall = new BigDecimal(chat(a, KeelFixture.MASTER_KEY).headers()
        .firstValue("x-keel-cost-usd").orElseThrow());
    BigDecimal limit = perCall.multiply(new BigDecimal("3.5"));
    JsonNode key = createKey(a, "{\"name\":\"shared\",\"budget\":{\"limit_usd\":"
        + limit.toPlainString() + ",\"period\":\"total\"}}");
    String secret = key.path("key").asText();

    int ok = 0;
    int refused = 0;
    for (int i = 0; i < 8; i++) {
      int status = chat(i % 2 == 0 ? a : b, secret).statusCode();
      ok += status == 200 ? 1 : 0;
      refused += status == 429 ? 1 : 0;
    }

    assertThat(ok).isEqualTo(4);
    assertThat(refused).isEqualTo(4);
    a.close();
    b.close();
    KeelServer restarted = start("c", prefix + "fresh:");
    assertThat(chat(restarted, secret).statusCode()).isEqualTo(429);
  }

  @Test
  void rpm_twoInstances_enforcedOnceForTheCluster() throws Exception {
    KeelServer a = start("a", prefix);
    KeelServer b = start("b", prefix);
    String secret = createKey(a, "{\"name\":\"rpm\",\"rpm\":4}").path("key").asText();
    awayFromMinuteEnd();

    int ok = 0;
    for (int i = 0; i < 8; i++) {
      ok += chat(i % 2 == 0 ? a : b, secret).statusCode() == 200 ? 1 : 0;
    }

    assertThat(ok).isEqualTo(4);
  }

  private KeelServer start(String name, String redisPrefix) {
    Map<String, String> env = Map.of("KEEL_MASTER_KEY", KeelFixture.MASTER_KEY,
        "KEEL_REDIS_URL", "redis://127.0.0.1:6379", "KEEL_REDIS_PREFIX", redisPrefix);
    KeelServer s = KeelServer.start(new ServerSettings("127.0.0.1", 0, dir.resolve(name),
        "postgres://postgres@127.0.0.1:5432/test?currentSchema=" + schema, null, env));
    servers.add(s);
    return s;
  }

  private JsonNode createKey(KeelServer s, String body) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(url(s, "/api/keel/keys"))
        .header("authorization", "Bearer " + KeelFixture.MASTER_KEY)
        .header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    return KeelFixture.json(r);
  }

  private HttpResponse<String> chat(KeelServer s, String key) throws Exception {
    return http.send(HttpRequest.newBuilder(url(s, "/v1/chat/completions"))
        .timeout(Duration.ofSeconds(20)).header("authorization", "Bearer " + key)
        .header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"gpt-4o-mini\",\"messages\":"
            + "[{\"role\":\"user\",\"content\":\"hello\"}]}")).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static URI url(KeelServer s, String path) {
    return URI.create("http://127.0.0.1:" + s.port() + path);
  }

  /** Rate windows are whole minutes: start well inside one so all requests share it. */
  private static void awayFromMinuteEnd() throws InterruptedException {
    long intoMinute = Instant.now().toEpochMilli() % 60_000;
    if (intoMinute > 50_000) {
      Thread.sleep(60_000 - intoMinute + 100);
    }
  }

  private static void exec(String sql) throws Exception {
    try (Connection c = DriverManager.getConnection(ADMIN_URL)) {
      c.createStatement().execute(sql);
    }
  }
}
