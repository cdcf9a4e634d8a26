package dev.keel.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A cost_aware route: easy requests to the cheap model, hard ones to the strong one. */
class CostAwareRoutingIT {

  private static final String USAGE = "[[sim usage prompt=1000 completion=100]] ";

  @TempDir
  static Path dir;
  private static KeelFixture keel;

  @BeforeAll
  static void start() {
    keel = KeelFixture.start(dir, "routing:\n  routes:\n    - name: smart\n"
        + "      strategy: cost_aware\n"
        + "      deployments: [{model: gpt-4o}, {model: gpt-4o-mini}]\n");
  }

  @AfterAll
  static void stop() {
    keel.close();
  }

  @Test
  void easyRequest_goesToTheCheapModel_andRecordsWhatItSaved() {
    String traceId = UUID.randomUUID().toString();

    HttpResponse<String> r = keel.chat(body(USAGE + "What is the capital of France?"),
        "x-keel-trace-id", traceId);

    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(r.headers().firstValue("x-keel-model").orElseThrow()).endsWith("gpt-4o-mini");
    // gpt-4o would have cost 1000 x 2.50 / 1e6 + 100 x 10.00 / 1e6 = 0.0035 USD.
    BigDecimal paid = new BigDecimal(r.headers().firstValue("x-keel-cost-usd").orElseThrow());
    String metadata = keel.onlyObservation(traceId).metadata();
    assertThat(metadata).contains("\"routing_saving_usd\":\""
        + new BigDecimal("0.0035").subtract(paid).toPlainString() + "\"")
        .contains("\"routing_strong_model\":\"openai/gpt-4o\"");
  }

  @Test
  void hardRequests_goToTheStrongModel() {
    HttpResponse<String> keyword = keel.chat(body("Explain step by step how TLS works."));
    HttpResponse<String> tools = keel.chat("{\"model\":\"smart\",\"messages\":[{\"role\":"
        + "\"user\",\"content\":\"hi\"}],\"tools\":[{\"type\":\"function\",\"function\":"
        + "{\"name\":\"f\",\"parameters\":{\"type\":\"object\"}}}]}");
    HttpResponse<String> longPrompt = keel.chat(body("word ".repeat(1200)));

    assertThat(keyword.headers().firstValue("x-keel-model").orElseThrow()).endsWith("/gpt-4o");
    assertThat(tools.headers().firstValue("x-keel-model").orElseThrow()).endsWith("/gpt-4o");
    assertThat(longPrompt.headers().firstValue("x-keel-model").orElseThrow())
        .endsWith("/gpt-4o");
  }

  @Test
  void report_sumsTheRoutingSavings() {
    String traceId = UUID.randomUUID().toString();
    keel.chat(body(USAGE + "Name a colour."), "x-keel-trace-id", traceId);
    keel.server.flushTraces();

    JsonNode r = KeelFixture.json(keel.get("/api/keel/reports/cost?groupBy=model",
        "authorization", KeelFixture.bearerMaster()));

    assertThat(r.path("savings").path("routingUsd").decimalValue())
        .isGreaterThanOrEqualTo(new BigDecimal("0.00329"));
    for (JsonNode g : r.path("groups")) {
      if (g.path("group").asText().equals("gpt-4o")) {
        assertThat(g.path("routingSavingUsd").decimalValue()).isZero();
      }
    }
  }

  private static String body(String content) {
    return "{\"model\":\"smart\",\"messages\":[{\"role\":\"user\",\"content\":\"" + content
        + "\"}]}";
  }
}
