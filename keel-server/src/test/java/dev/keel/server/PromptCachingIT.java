package dev.keel.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code prompt_caching: {anthropic: auto}}: what goes upstream, and what the report shows. */
class PromptCachingIT {

  private static final String SYSTEM = "You answer questions about our product. ".repeat(30);
  private static final String ANSWER = "{\"id\":\"msg_1\",\"type\":\"message\",\"role\":"
      + "\"assistant\",\"model\":\"claude-3-5-sonnet-20241022\",\"content\":[{\"type\":\"text\","
      + "\"text\":\"ok\"}],\"stop_reason\":\"end_turn\",\"stop_sequence\":null,\"usage\":"
      + "{\"input_tokens\":100,\"cache_read_input_tokens\":900,"
      + "\"cache_creation_input_tokens\":0,\"output_tokens\":5}}";

  @TempDir
  Path dir;
  private HttpServer upstream;
  private KeelFixture keel;

  @AfterEach
  void stop() {
    if (keel != null) {
      keel.close();
    }
    if (upstream != null) {
      upstream.stop(0);
    }
  }

  @Test
  void auto_marksTheSystemPromptUpstream_andTheReportShowsCachedShareAndSaving()
      throws Exception {
    var bodies = new LinkedBlockingQueue<JsonNode>();
    upstream = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    upstream.createContext("/v1/messages", ex -> {
      bodies.add(KeelFixture.json(new String(ex.getRequestBody().readAllBytes(),
          StandardCharsets.UTF_8)));
      byte[] out = ANSWER.getBytes(StandardCharsets.UTF_8);
      ex.getResponseHeaders().add("content-type", "application/json");
      ex.sendResponseHeaders(200, out.length);
      ex.getResponseBody().write(out);
      ex.close();
    });
    upstream.start();
    keel = KeelFixture.start(dir, "providers:\n  - {name: capture, format: anthropic, "
        + "base_url: \"http://127.0.0.1:" + upstream.getAddress().getPort() + "\"}\n"
        + "models:\n  - {name: claude-cached, provider: capture, "
        + "model: claude-3-5-sonnet-20241022}\n"
        + "prompt_caching: {anthropic: auto, min_tokens: 100}\n");

    HttpResponse<String> r = keel.chat("{\"model\":\"claude-cached\",\"messages\":[{\"role\":"
        + "\"system\",\"content\":\"" + SYSTEM + "\"},{\"role\":\"user\",\"content\":\"hi\"}]}");
    JsonNode sent = bodies.poll(5, TimeUnit.SECONDS);

    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(sent).isNotNull();
    assertThat(sent.path("system").get(0).path("text").asText()).isEqualTo(SYSTEM);
    assertThat(sent.path("system").get(0).path("cache_control").path("type").asText())
        .isEqualTo("ephemeral");
    keel.server.flushTraces();
    JsonNode model = KeelFixture.json(keel.get("/api/keel/reports/cost?groupBy=model",
        "authorization", KeelFixture.bearerMaster())).path("groups").get(0);
    assertThat(model.path("cachedInputTokens").asLong()).isEqualTo(900);
    assertThat(model.path("cachedInputShare").asDouble()).isEqualTo(0.9);
    // claude-3-5-sonnet: input 3.00, cache reads 0.30 USD per million tokens.
    assertThat(model.path("promptCachingSavingUsd").decimalValue())
        .isEqualByComparingTo("0.00243");
  }

  @Test
  void auto_againstTheSimulator_answersAndReportsItsCacheReads() throws Exception {
    keel = KeelFixture.start(Files.createDirectories(dir.resolve("sim")),
        "prompt_caching: {anthropic: auto, min_tokens: 100}\n");

    HttpResponse<String> r = keel.post("/v1/messages", "{\"model\":\"claude-3-5-haiku-20241022\","
        + "\"max_tokens\":50,\"system\":\"" + SYSTEM + "\",\"messages\":[{\"role\":\"user\","
        + "\"content\":\"[[sim usage prompt=1000 cached=800 completion=5]] hi\"}]}",
        "x-api-key", KeelFixture.MASTER_KEY, "content-type", "application/json");

    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(KeelFixture.json(r).path("usage").path("cache_read_input_tokens").asLong())
        .isEqualTo(800);
    keel.server.flushTraces();
    JsonNode model = KeelFixture.json(keel.get("/api/keel/reports/cost?groupBy=model",
        "authorization", KeelFixture.bearerMaster())).path("groups").get(0);
    assertThat(model.path("cachedInputShare").asDouble()).isEqualTo(0.8);
    assertThat(model.path("promptCachingSavingUsd").decimalValue()).isPositive();
  }
}
