package dev.keel.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keel.core.trace.Level;
import dev.keel.core.trace.Observation;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Retries, routes, fallbacks by error class, context windows and cooldown, end to end. */
class RoutingIT {

  private static final String YAML = """
      routing:
        retries: {max: 2, initial_backoff_ms: 10, max_backoff_ms: 2000}
        cooldown: {failures: 1, seconds: 60}
        routes:
          - name: resilient
            deployments: [{model: gpt-4o}]
            fallbacks:
              - {on: [server_error, timeout], models: [claude-3-5-haiku-20241022]}
          - name: rate-only
            deployments: [{model: gpt-4o}]
            fallbacks:
              - {on: [rate_limit], models: [claude-3-5-haiku-20241022]}
          - name: long-context
            deployments: [{model: gpt-4o-mini}]
            fallbacks:
              - {on: [context_window], models: [gpt-4o, gpt-4.1]}
          - name: pair
            strategy: lowest_cost
            deployments: [{model: gpt-4o-mini}, {model: gpt-4.1-nano}]
      """;

  @TempDir
  static Path dir;
  private static KeelFixture keel;

  @BeforeAll
  static void start() {
    keel = KeelFixture.start(dir, YAML);
  }

  @AfterAll
  static void stop() {
    keel.close();
  }

  @Test
  void transientFailure_retriedOnceAndBilledOnce() {
    String traceId = UUID.randomUUID().toString();

    HttpResponse<String> r = keel.chat(body("gpt-4o", "hi [[sim fault=500 times=1 usage "
        + "prompt=20 completion=5]] " + traceId), "x-keel-trace-id", traceId);

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("x-keel-attempts")).contains("2");
    List<Observation> obs = inOrder(traceId);
    assertThat(obs).extracting(Observation::level).containsExactly(Level.ERROR, Level.DEFAULT);
    assertThat(obs.get(0).cost()).isNull();
    assertThat(keel.trace(traceId).totalCost()).isEqualByComparingTo(obs.get(1).cost().total())
        .isEqualByComparingTo(r.headers().firstValue("x-keel-cost-usd").orElseThrow());
  }

  @Test
  void persistentFailure_502AfterEveryRetryIsTraced() {
    String traceId = UUID.randomUUID().toString();

    HttpResponse<String> r = keel.chat(body("gpt-4.1-mini", "hi [[sim fault=503]]"),
        "x-keel-trace-id", traceId);

    assertThat(r.statusCode()).isEqualTo(502);
    assertThat(r.headers().firstValue("x-keel-attempts")).contains("3");
    assertThat(inOrder(traceId)).hasSize(3).allSatisfy(o -> {
      assertThat(o.level()).isEqualTo(Level.ERROR);
      assertThat(o.cost()).isNull();
    });
  }

  @Test
  void rateLimit_retryAfterIsHonoured() {
    String traceId = UUID.randomUUID().toString();
    long t0 = System.nanoTime();

    HttpResponse<String> r = keel.chat(body("gpt-4o-mini", "hi [[sim fault=429 retry_after=1 "
        + "times=1]] " + traceId), "x-keel-trace-id", traceId);

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat((System.nanoTime() - t0) / 1_000_000).isGreaterThanOrEqualTo(1000);
    assertThat(inOrder(traceId)).hasSize(2);
  }

  @Test
  void route_serverErrorFallsBackToAnotherProvider() {
    String traceId = UUID.randomUUID().toString();

    HttpResponse<String> r = keel.chat(body("resilient", "hi [[sim fault=500 model=gpt-4o]]"),
        "x-keel-trace-id", traceId);

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("x-keel-model"))
        .contains("anthropic/claude-3-5-haiku-20241022");
    List<Observation> obs = inOrder(traceId);
    assertThat(obs).extracting(Observation::model).containsExactly("gpt-4o", "gpt-4o", "gpt-4o",
        "claude-3-5-haiku-20241022");
    assertThat(obs.get(3).metadata()).contains("\"requested_model\":\"resilient\"");
  }

  @Test
  void route_errorClassWithoutAFallback_failsWithoutFallingBack() {
    String traceId = UUID.randomUUID().toString();

    HttpResponse<String> r = keel.chat(body("rate-only", "hi [[sim fault=500 model=gpt-4o]]"),
        "x-keel-trace-id", traceId);

    assertThat(r.statusCode()).isEqualTo(502);
    assertThat(inOrder(traceId)).extracting(Observation::model).containsOnly("gpt-4o");
  }

  @Test
  void route_contextWindowFallbackSkipsModelsTooSmallForThePrompt() {
    String traceId = UUID.randomUUID().toString();
    String longText = words(140_000);

    HttpResponse<String> r = keel.chat(body("long-context", longText
        + " [[sim fault=context_length model=gpt-4o-mini usage prompt=140000 completion=5]]"),
        "x-keel-trace-id", traceId);

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("x-keel-model")).contains("openai/gpt-4.1");
    assertThat(inOrder(traceId)).extracting(Observation::model)
        .containsExactly("gpt-4o-mini", "gpt-4.1");
  }

  @Test
  void lowestCost_picksTheCheaperDeployment() {
    HttpResponse<String> r = keel.chat(body("pair", "hi"));

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("x-keel-model")).contains("openai/gpt-4.1-nano");
  }

  @Test
  void models_listsRoutes() {
    HttpResponse<String> r = keel.get("/v1/models", "authorization", KeelFixture.bearerMaster());

    assertThat(r.body()).contains("\"resilient\"").contains("\"long-context\"");
  }

  @Test
  void config_fallbackNamingAnUnknownModel_failsAtStart() throws IOException {
    Path other = Files.createDirectory(dir.resolve("bad"));
    String yaml = """
        routing:
          routes:
            - name: r
              deployments: [{model: gpt-4o}]
              fallbacks: [{models: [gpt-9000]}]
        """;

    assertThatThrownBy(() -> KeelFixture.start(other, yaml))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("routing.routes[r]").hasMessageContaining("gpt-9000");
  }

  private static List<Observation> inOrder(String traceId) {
    return keel.observations(traceId).stream()
        .sorted(Comparator.comparing(Observation::startTime)).toList();
  }

  /** About {@code tokens} tokens of varied English words, the same every run. */
  private static String words(int tokens) {
    String[] vocab = {"river", "mountain", "quietly", "engine", "harbor", "lantern", "orbit",
        "meadow", "signal", "copper", "thunder", "velvet", "garden", "pilot", "marble"};
    var random = new Random(7);
    var sb = new StringBuilder(tokens * 8);
    for (int i = 0; i < tokens; i++) {
      sb.append(vocab[random.nextInt(vocab.length)]).append(' ');
    }
    return sb.toString();
  }

  private static String body(String model, String content) {
    return "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\""
        + content + "\"}]}";
  }
}
