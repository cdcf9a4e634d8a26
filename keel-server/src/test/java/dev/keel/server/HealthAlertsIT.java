package dev.keel.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Error-rate and p95-latency alerts, checked every second, POSTed to a local webhook. */
class HealthAlertsIT {

  @TempDir
  Path dir;
  private HttpServer hook;
  private final LinkedBlockingQueue<JsonNode> received = new LinkedBlockingQueue<>();
  private KeelFixture keel;

  @BeforeEach
  void start() throws Exception {
    hook = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    hook.createContext("/hook", ex -> {
      received.add(KeelFixture.json(new String(ex.getRequestBody().readAllBytes(),
          StandardCharsets.UTF_8)));
      ex.sendResponseHeaders(204, -1);
      ex.close();
    });
    hook.start();
    keel = KeelFixture.start(dir, "alerts: {error_rate: 0.5, p95_latency_ms: 150, "
        + "window_seconds: 120, check_seconds: 1, min_calls: 3, webhook_url: "
        + "http://127.0.0.1:" + hook.getAddress().getPort() + "/hook}\n");
  }

  @AfterEach
  void stop() {
    keel.close();
    hook.stop(0);
  }

  @Test
  void failingThenSlowCalls_fireErrorRate_resolveIt_thenFireP95Latency() throws Exception {
    for (int i = 0; i < 4; i++) {
      assertThat(keel.chat(body("[[sim fault=content_policy]] " + UUID.randomUUID()))
          .statusCode()).isEqualTo(400);
    }

    JsonNode fired = next();

    assertThat(fired.path("type").asText()).isEqualTo("alert.error_rate");
    assertThat(fired.path("state").asText()).isEqualTo("firing");
    assertThat(fired.path("calls").asLong()).isEqualTo(4);
    assertThat(fired.path("errors").asLong()).isEqualTo(4);
    assertThat(fired.path("threshold").asDouble()).isEqualTo(0.5);

    for (int i = 0; i < 6; i++) {
      assertThat(keel.chat(body("[[sim ttft_ms=250]] " + UUID.randomUUID())).statusCode())
          .isEqualTo(200);
    }
    List<JsonNode> next = List.of(next(), next());

    // Which comes first depends on how many slow calls the check that saw them had counted.
    assertThat(next).extracting(n -> n.path("type").asText() + " " + n.path("state").asText())
        .containsExactlyInAnyOrder("alert.error_rate resolved", "alert.p95_latency firing");
    JsonNode slow = next.stream().filter(n -> n.path("type").asText().equals("alert.p95_latency"))
        .findFirst().orElseThrow();
    assertThat(slow.path("p95_latency_ms").asLong()).isGreaterThan(150);
    assertThat(slow.path("threshold").asLong()).isEqualTo(150);
    assertThat(received.poll(2, TimeUnit.SECONDS)).as("a condition alerts once").isNull();
  }

  private JsonNode next() throws InterruptedException {
    JsonNode n = received.poll(15, TimeUnit.SECONDS);
    assertThat(n).as("a webhook call within 15 s").isNotNull();
    return n;
  }

  private static String body(String content) {
    return "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\""
        + content + "\"}]}";
  }
}
