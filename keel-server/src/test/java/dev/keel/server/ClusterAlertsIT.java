package dev.keel.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import java.math.BigDecimal;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two Keel instances on one PostgreSQL schema, both checking health every second and both
 * posting to one webhook: an error-rate alert and a budget soft-limit alert each arrive once
 * for the cluster, not once per instance.
 */
class ClusterAlertsIT {

  private static final String ADMIN_URL = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";

  @TempDir
  Path dir;
  private final String schema = "keel_alerts_it_" + UUID.randomUUID().toString()
      .replace("-", "");
  private final List<KeelServer> servers = new ArrayList<>();
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .build();
  private final LinkedBlockingQueue<JsonNode> received = new LinkedBlockingQueue<>();
  private HttpServer hook;

  @BeforeEach
  void start() throws Exception {
    exec("CREATE SCHEMA " + schema);
    hook = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    hook.createContext("/hook", ex -> {
      received.add(KeelFixture.json(new String(ex.getRequestBody().readAllBytes(),
          StandardCharsets.UTF_8)));
      ex.sendResponseHeaders(204, -1);
      ex.close();
    });
    hook.start();
    String url = "http://127.0.0.1:" + hook.getAddress().getPort() + "/hook";
    Files.writeString(dir.resolve("keel.yaml"), "alerts: {error_rate: 0.5, window_seconds: 120, "
        + "check_seconds: 1, min_calls: 3, webhook_url: " + url + "}\n"
        + "budgets: {alert_webhook_url: " + url + ", flush_millis: 100}\n");
  }

  @AfterEach
  void stop() throws Exception {
    servers.forEach(KeelServer::close);
    hook.stop(0);
    exec("DROP SCHEMA " + schema + " CASCADE");
  }

  @Test
  void errorRate_twoInstancesCheckingOneStore_firesOnceAndResolvesOnce() throws Exception {
    KeelServer a = start("a");
    KeelServer b = start("b");

    for (int i = 0; i < 4; i++) {
      chat(i % 2 == 0 ? a : b, KeelFixture.MASTER_KEY, "[[sim fault=content_policy]] " + i);
    }
    JsonNode fired = next();
    JsonNode duplicate = received.poll(4, TimeUnit.SECONDS);
    for (int i = 0; i < 8; i++) {
      chat(i % 2 == 0 ? a : b, KeelFixture.MASTER_KEY, "fine " + i);
    }
    JsonNode resolved = next();
    JsonNode again = received.poll(4, TimeUnit.SECONDS);

    assertThat(fired.path("type").asText() + " " + fired.path("state").asText())
        .isEqualTo("alert.error_rate firing");
    assertThat(duplicate).as("the other instance saw the same and sent nothing").isNull();
    assertThat(resolved.path("type").asText() + " " + resolved.path("state").asText())
        .isEqualTo("alert.error_rate resolved");
    assertThat(again).isNull();
  }

  @Test
  void budgetSoftLimit_crossedOnBothInstances_alertedOnce() throws Exception {
    KeelServer a = start("a");
    KeelServer b = start("b");
    BigDecimal perCall = new BigDecimal(chat(a, KeelFixture.MASTER_KEY, "hello").headers()
        .firstValue("x-keel-cost-usd").orElseThrow());
    String key = createKey(a, "{\"name\":\"soft\",\"budget\":{\"limit_usd\":"
        + perCall.multiply(new BigDecimal("10")).toPlainString()
        + ",\"period\":\"total\",\"soft_limits\":[0.1]}}");

    for (int i = 0; i < 4; i++) {
      assertThat(chat(i % 2 == 0 ? a : b, key, "hello").statusCode()).isEqualTo(200);
    }
    JsonNode alert = next();
    JsonNode duplicate = received.poll(3, TimeUnit.SECONDS);

    assertThat(alert.path("type").asText()).isEqualTo("budget.soft_limit");
    assertThat(alert.path("threshold").asDouble()).isEqualTo(0.1);
    assertThat(duplicate).isNull();
  }

  private JsonNode next() throws InterruptedException {
    JsonNode n = received.poll(15, TimeUnit.SECONDS);
    assertThat(n).as("an alert within 15 s").isNotNull();
    return n;
  }

  private KeelServer start(String name) {
    KeelServer s = KeelServer.start(new ServerSettings("127.0.0.1", 0, dir.resolve(name),
        "postgres://postgres@127.0.0.1:5432/test?currentSchema=" + schema,
        dir.resolve("keel.yaml"), Map.of("KEEL_MASTER_KEY", KeelFixture.MASTER_KEY)));
    servers.add(s);
    return s;
  }

  private String createKey(KeelServer s, String body) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(url(s, "/api/keel/keys"))
        .header("authorization", KeelFixture.bearerMaster())
        .header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    return KeelFixture.json(r).path("key").asText();
  }

  private HttpResponse<String> chat(KeelServer s, String key, String text) throws Exception {
    String body = KeelFixture.JSON.createObjectNode().put("model", "gpt-4o-mini")
        .set("messages", KeelFixture.JSON.createArrayNode().add(KeelFixture.JSON
            .createObjectNode().put("role", "user").put("content", text))).toString();
    return http.send(HttpRequest.newBuilder(url(s, "/v1/chat/completions"))
        .timeout(Duration.ofSeconds(20)).header("authorization", "Bearer " + key)
        .header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static URI url(KeelServer s, String path) {
    return URI.create("http://127.0.0.1:" + s.port() + path);
  }

  private static void exec(String sql) throws Exception {
    try (Connection c = DriverManager.getConnection(ADMIN_URL)) {
      c.createStatement().execute(sql);
    }
  }
}
