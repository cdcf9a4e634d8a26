package dev.keel.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keel.server.KeelServer;
import dev.keel.server.ServerSettings;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The SDK against a real Keel: SQLite in a temporary folder, loopback, a free port. */
class KeelClientIT {

  private static final String PUBLIC_KEY = "pk-lf-sdkit0123456789abcdefghijklmnopqrstuvw";
  private static final String SECRET_KEY = "sk-lf-sdkit0123456789abcdefghijklmnopqrstuvw";
  private static final String BASIC = "Basic " + Base64.getEncoder().encodeToString(
      (PUBLIC_KEY + ":" + SECRET_KEY).getBytes(StandardCharsets.UTF_8));

  @TempDir
  static Path dir;
  private static KeelServer server;
  private static KeelClient keel;
  private static final HttpClient HTTP = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1).build();

  @BeforeAll
  static void start() {
    server = KeelServer.start(new ServerSettings("127.0.0.1", 0, dir, null, null, Map.of(
        "KEEL_MASTER_KEY", "sk-keel-sdkit0123456789abcdefghijklmnopqrstuvw",
        "KEEL_INIT_PROJECT_PUBLIC_KEY", PUBLIC_KEY,
        "KEEL_INIT_PROJECT_SECRET_KEY", SECRET_KEY)));
    keel = new KeelClientBuilder(Map.of()).baseUrl(baseUrl()).publicKey(PUBLIC_KEY)
        .secretKey(SECRET_KEY).release("it-release").shutdownHook(false).build();
  }

  @AfterAll
  static void stop() {
    if (keel != null) {
      keel.close();
    }
    if (server != null) {
      server.close();
    }
  }

  @Test
  void nestedTrace_sentBySdk_readBackThroughPublicApi() throws Exception {
    String traceId;
    String retrieverId;
    String generationId;
    try (Trace trace = keel.trace("support-reply").userId("user-42").sessionId("session-7")
        .tags("support", "java-sdk").metadata("plan", "pro").input("Where is my order?")) {
      traceId = trace.id();
      try (Observation retrieve = trace.retriever("search-orders")) {
        retrieverId = retrieve.id();
        retrieve.input("order status").output(List.of("order 981 shipped"));
      }
      try (Observation answer = trace.generation("answer").model("gpt-4o-mini")) {
        generationId = answer.id();
        answer.input(List.of(Map.of("role", "user", "content", "Where is my order?")))
            .modelParameter("temperature", 0.2).usage(120, 40)
            .cost(Map.of("input", new BigDecimal("0.000018"),
                "output", new BigDecimal("0.000024"), "total", new BigDecimal("0.000042")))
            .output("It shipped yesterday.");
      }
      trace.output("It shipped yesterday.").score(Score.numeric("helpfulness", 0.75));
    }

    assertThat(keel.flush(Duration.ofSeconds(10))).isTrue();

    assertThat(keel.stats().failed()).isZero();
    assertThat(keel.stats().rejected()).isZero();
    JsonNode trace = get("/api/public/traces/" + traceId);
    assertThat(trace.path("name").asText()).isEqualTo("support-reply");
    assertThat(trace.path("userId").asText()).isEqualTo("user-42");
    assertThat(trace.path("sessionId").asText()).isEqualTo("session-7");
    assertThat(trace.path("release").asText()).isEqualTo("it-release");
    assertThat(trace.path("tags").toString()).contains("support", "java-sdk");
    assertThat(trace.path("metadata").path("plan").asText()).isEqualTo("pro");
    assertThat(trace.path("input").asText()).isEqualTo("Where is my order?");
    assertThat(trace.path("output").asText()).isEqualTo("It shipped yesterday.");
    assertThat(trace.path("observations")).hasSize(2);
    JsonNode retriever = observation(trace, retrieverId);
    assertThat(retriever.path("type").asText()).isEqualTo("RETRIEVER");
    assertThat(retriever.path("output").toString()).isEqualTo("[\"order 981 shipped\"]");
    JsonNode generation = observation(trace, generationId);
    assertThat(generation.path("type").asText()).isEqualTo("GENERATION");
    assertThat(generation.path("model").asText()).isEqualTo("gpt-4o-mini");
    assertThat(generation.path("usageDetails").path("input").asLong()).isEqualTo(120);
    assertThat(generation.path("usageDetails").path("output").asLong()).isEqualTo(40);
    assertThat(generation.path("costDetails").path("total").decimalValue())
        .isEqualByComparingTo("0.000042");
    assertThat(generation.path("latency").isNumber()).isTrue();
    assertThat(generation.path("startTime").asText()).isNotEmpty();
    assertThat(generation.path("endTime").asText()).isNotEmpty();
    assertThat(trace.path("totalCost").decimalValue()).isEqualByComparingTo("0.000042");
    JsonNode scores = get("/api/public/v2/scores?traceId=" + traceId).path("data");
    assertThat(scores).hasSize(1);
    assertThat(scores.get(0).path("name").asText()).isEqualTo("helpfulness");
    assertThat(scores.get(0).path("value").asDouble()).isEqualTo(0.75);
  }

  @Test
  void sessionScoreAndBooleanScore_storedWithTheirTargets() throws Exception {
    keel.scoreSession("session-sdk-1", Score.bool("resolved", true).withComment("thanks"));

    assertThat(keel.flush(Duration.ofSeconds(10))).isTrue();

    JsonNode scores = get("/api/public/v2/scores?sessionId=session-sdk-1").path("data");
    assertThat(scores).hasSize(1);
    assertThat(scores.get(0).path("dataType").asText()).isEqualTo("BOOLEAN");
    assertThat(scores.get(0).path("value").asDouble()).isEqualTo(1.0);
    assertThat(scores.get(0).path("comment").asText()).isEqualTo("thanks");
    assertThat(keel.stats().rejected()).isZero();
  }

  @Test
  void generationWithoutCost_pricedByKeel() throws Exception {
    String traceId;
    try (Trace trace = keel.trace("priced")) {
      traceId = trace.id();
      trace.generation("answer").model("gpt-4o-mini").usage(1_000, 500).end();
    }

    assertThat(keel.flush(Duration.ofSeconds(10))).isTrue();

    JsonNode generation = get("/api/public/traces/" + traceId).path("observations").get(0);
    assertThat(generation.path("calculatedTotalCost").decimalValue()).isPositive();
  }

  @Test
  void prompts_fetchedFromRegistryAndLabelMoveSeenAfterTtl() throws Exception {
    createPrompt("{\"name\":\"sdk-greeting\",\"prompt\":\"Hello {{name}}\","
        + "\"labels\":[\"production\"],\"config\":{\"temperature\":0.1}}");

    Prompt v1 = keel.prompts().get("sdk-greeting");

    assertThat(v1.version()).isEqualTo(1);
    assertThat(v1.asText().compile(Map.of("name", "Ada"))).isEqualTo("Hello Ada");
    assertThat(v1.config()).containsEntry("temperature", 0.1);
    createPrompt("{\"name\":\"sdk-greeting\",\"prompt\":\"Hi {{name}}\","
        + "\"labels\":[\"production\"]}");
    Prompt fresh = keel.prompts().get(PromptRequest.of("sdk-greeting").cacheTtl(Duration.ZERO));
    assertThat(fresh.version()).isEqualTo(2);
    assertThat(keel.prompts().get("sdk-greeting", 1).asText().prompt())
        .isEqualTo("Hello {{name}}");
  }

  private static JsonNode observation(JsonNode trace, String id) {
    for (JsonNode o : trace.path("observations")) {
      if (o.path("id").asText().equals(id)) {
        return o;
      }
    }
    throw new AssertionError("no observation " + id + " in " + trace);
  }

  private static JsonNode get(String path) throws IOException, InterruptedException {
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(baseUrl() + path))
        .header("authorization", BASIC).GET().build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return Json.MAPPER.readTree(r.body());
  }

  private static void createPrompt(String json) throws IOException, InterruptedException {
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(
            URI.create(baseUrl() + "/api/public/v2/prompts"))
        .header("authorization", BASIC).header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
  }

  private static String baseUrl() {
    return "http://127.0.0.1:" + server.port();
  }
}
