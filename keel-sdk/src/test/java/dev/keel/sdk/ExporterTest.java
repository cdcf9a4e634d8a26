package dev.keel.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ExporterTest {

  private StubKeel stub;

  @BeforeEach
  void startStub() throws IOException {
    stub = new StubKeel();
  }

  @AfterEach
  void stopStub() {
    stub.close();
  }

  @Test
  void export_nestedTrace_sendsOneBatchOfLangfuseEventsWithBasicAuth() {
    try (KeelClient keel = stub.client().flushInterval(Duration.ofHours(1)).release("r1")
        .build()) {
      String traceId;
      String spanId;
      try (Trace trace = keel.trace("support").userId("u-1").sessionId("s-1").tags("a", "b")) {
        traceId = trace.id();
        try (Observation span = trace.span("retrieve").input("refund policy")) {
          spanId = span.id();
          span.output(List.of("doc-1"));
          try (Observation gen = span.generation("answer").model("gpt-4o-mini")) {
            gen.input(List.of(Map.of("role", "user", "content", "hi")))
                .modelParameter("temperature", 0.2).usage(12, 5)
                .cost(Map.of("total", new BigDecimal("0.000123456789")))
                .output("hello").score(Score.numeric("quality", 0.9));
          }
        }
        trace.output("done");
      }

      assertThat(keel.flush(Duration.ofSeconds(5))).isTrue();

      assertThat(stub.batches).hasSize(1);
      assertThat(stub.authorizations.get(0)).isEqualTo("Basic " + Base64.getEncoder()
          .encodeToString("pk-lf-test:sk-lf-test".getBytes(StandardCharsets.UTF_8)));
      assertThat(stub.events()).extracting(e -> e.path("type").asText()).containsExactly(
          "trace-create", "score-create", "trace-create", "generation-create", "span-create",
          "trace-create");
      JsonNode first = stub.events("trace-create").get(0).path("body");
      assertThat(first.path("id").asText()).isEqualTo(traceId);
      assertThat(first.path("name").asText()).isEqualTo("support");
      assertThat(first.path("release").asText()).isEqualTo("r1");
      assertThat(first.path("environment").asText()).isEqualTo("default");
      JsonNode update = stub.events("trace-create").get(1).path("body");
      assertThat(update.path("userId").asText()).isEqualTo("u-1");
      assertThat(update.path("sessionId").asText()).isEqualTo("s-1");
      assertThat(update.path("tags").toString()).isEqualTo("[\"a\",\"b\"]");
      assertThat(stub.events("trace-create").get(2).path("body").path("output").asText())
          .isEqualTo("done");
      JsonNode gen = stub.events("generation-create").get(0).path("body");
      assertThat(gen.path("traceId").asText()).isEqualTo(traceId);
      assertThat(gen.path("parentObservationId").asText()).isEqualTo(spanId);
      assertThat(gen.path("model").asText()).isEqualTo("gpt-4o-mini");
      assertThat(gen.path("modelParameters").path("temperature").asDouble()).isEqualTo(0.2);
      assertThat(gen.path("usageDetails").toString())
          .isEqualTo("{\"input\":12,\"output\":5,\"total\":17}");
      assertThat(gen.path("costDetails").path("total").decimalValue())
          .isEqualByComparingTo("0.000123456789");
      assertThat(gen.path("startTime").asText()).endsWith("Z");
      assertThat(gen.path("endTime").asText()).endsWith("Z");
      JsonNode span = stub.events("span-create").get(0).path("body");
      assertThat(span.has("parentObservationId")).isFalse();
      assertThat(span.path("input").asText()).isEqualTo("refund policy");
      JsonNode score = stub.events("score-create").get(0).path("body");
      assertThat(score.path("observationId").asText()).isEqualTo(gen.path("id").asText());
      assertThat(score.path("value").asDouble()).isEqualTo(0.9);
      assertThat(score.path("dataType").asText()).isEqualTo("NUMERIC");
      assertThat(stub.batches.get(0).path("metadata").path("sdk_name").asText())
          .isEqualTo("keel-java");
    }
  }

  @Test
  void export_moreEventsThanFlushAt_sendsFullBatchesWithoutWaiting() throws Exception {
    try (KeelClient keel = stub.client().flushAt(3).flushInterval(Duration.ofHours(1))
        .build()) {
      for (int i = 0; i < 7; i++) {
        keel.scoreTrace("t-" + i, Score.numeric("n", i));
      }

      StubKeel.await(() -> stub.batches.size() == 2);
      keel.flush(Duration.ofSeconds(5));

      assertThat(stub.batches).extracting(b -> b.path("batch").size()).containsExactly(3, 3, 1);
    }
  }

  @Test
  void export_fewEvents_sentWhenIntervalPasses() throws Exception {
    try (KeelClient keel = stub.client().flushAt(100).flushInterval(Duration.ofMillis(100))
        .build()) {
      keel.scoreSession("s-1", Score.bool("resolved", true));

      StubKeel.await(() -> stub.batches.size() == 1);

      JsonNode body = stub.events().get(0).path("body");
      assertThat(body.path("sessionId").asText()).isEqualTo("s-1");
      assertThat(body.path("value").asDouble()).isEqualTo(1.0);
      assertThat(body.path("dataType").asText()).isEqualTo("BOOLEAN");
    }
  }

  @Test
  void export_503Twice_retriesTheSameBatchThenSucceeds() {
    stub.ingestionStatuses.addAll(List.of(503, 503));
    try (KeelClient keel = stub.client().build()) {
      keel.scoreTrace("t-1", Score.numeric("n", 1));

      assertThat(keel.flush(Duration.ofSeconds(5))).isTrue();

      assertThat(stub.ingestionRequests.get()).isEqualTo(3);
      assertThat(stub.batches.get(2)).isEqualTo(stub.batches.get(0));
      assertThat(keel.stats()).isEqualTo(new ExportStats(1, 1, 0, 0, 0, 0));
    }
  }

  @Test
  void export_429_retried() {
    stub.ingestionStatuses.add(429);
    try (KeelClient keel = stub.client().build()) {
      keel.scoreTrace("t-1", Score.numeric("n", 1));

      assertThat(keel.flush(Duration.ofSeconds(5))).isTrue();

      assertThat(stub.ingestionRequests.get()).isEqualTo(2);
      assertThat(keel.stats().sent()).isEqualTo(1);
    }
  }

  @Test
  void export_400_notRetriedAndCountedFailed() {
    stub.ingestionStatuses.add(400);
    try (KeelClient keel = stub.client().build()) {
      keel.scoreTrace("t-1", Score.numeric("n", 1));
      keel.scoreTrace("t-2", Score.numeric("n", 2));

      assertThat(keel.flush(Duration.ofSeconds(5))).isTrue();

      assertThat(stub.ingestionRequests.get()).isEqualTo(1);
      assertThat(keel.stats()).isEqualTo(new ExportStats(2, 0, 0, 0, 2, 0));
    }
  }

  @Test
  void export_retriesExhausted_batchCountedFailed() {
    stub.ingestionStatuses.addAll(List.of(500, 500, 500));
    try (KeelClient keel = stub.client().maxRetries(2).build()) {
      keel.scoreTrace("t-1", Score.numeric("n", 1));

      assertThat(keel.flush(Duration.ofSeconds(5))).isTrue();

      assertThat(stub.ingestionRequests.get()).isEqualTo(3);
      assertThat(keel.stats().failed()).isEqualTo(1);
    }
  }

  @Test
  void export_207WithErrors_countsRejectedWithoutResending() {
    stub.ingestionBody207 = "{\"successes\":[],\"errors\":[{\"id\":\"x\",\"status\":400,"
        + "\"message\":\"Invalid request data\",\"error\":\"name required\"},{\"id\":\"y\","
        + "\"status\":400,\"message\":\"Invalid request data\",\"error\":\"bad\"}]}";
    try (KeelClient keel = stub.client().build()) {
      keel.scoreTrace("t-1", Score.numeric("n", 1));
      keel.scoreTrace("t-2", Score.numeric("n", 2));

      assertThat(keel.flush(Duration.ofSeconds(5))).isTrue();

      assertThat(stub.ingestionRequests.get()).isEqualTo(1);
      assertThat(keel.stats().rejected()).isEqualTo(2);
      assertThat(keel.stats().sent()).isEqualTo(2);
    }
  }

  @Test
  void export_queueFull_dropsAndCountsWithoutBlocking() throws Exception {
    stub.gate = new CountDownLatch(1);
    try (KeelClient keel = stub.client().flushAt(1).maxQueueSize(5).build()) {
      keel.scoreTrace("first", Score.numeric("n", 0));
      StubKeel.await(() -> stub.ingestionRequests.get() == 1);

      long start = System.nanoTime();
      for (int i = 0; i < 20; i++) {
        keel.scoreTrace("t-" + i, Score.numeric("n", i));
      }
      long elapsedMs = (System.nanoTime() - start) / 1_000_000;

      assertThat(elapsedMs).isLessThan(1000);
      assertThat(keel.stats().dropped()).isEqualTo(15);
      assertThat(keel.stats().queued()).isEqualTo(5);
      stub.gate.countDown();
      assertThat(keel.flush(Duration.ofSeconds(5))).isTrue();
      assertThat(keel.stats().sent()).isEqualTo(6);
      assertThat(stub.events()).hasSize(6);
    }
  }

  @Test
  void export_serverDown_neverThrowsAndFlushReturnsInTime() throws IOException {
    int port;
    try (ServerSocket probe = new ServerSocket(0, 1,
        java.net.InetAddress.getLoopbackAddress())) {
      port = probe.getLocalPort();
    }
    KeelClient keel = stub.client().baseUrl("http://127.0.0.1:" + port).maxRetries(2)
        .requestTimeout(Duration.ofSeconds(1)).closeTimeout(Duration.ofSeconds(3)).build();

    assertThatCode(() -> {
      try (Trace trace = keel.trace("t")) {
        trace.span("s").end();
        trace.score(Score.text("note", "x"));
      }
      keel.observe("work", () -> 42);
    }).doesNotThrowAnyException();
    long start = System.nanoTime();
    boolean flushed = keel.flush(Duration.ofSeconds(3));
    keel.close();

    assertThat(flushed).isTrue();
    assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(4000);
    assertThat(keel.stats().failed()).isEqualTo(keel.stats().accepted());
    assertThat(keel.stats().sent()).isZero();
  }

  @Test
  void close_sendsQueuedEventsThenDropsNewOnes() {
    KeelClient keel = stub.client().flushInterval(Duration.ofHours(1)).build();
    keel.scoreTrace("t-1", Score.numeric("n", 1));

    keel.close();
    keel.scoreTrace("t-2", Score.numeric("n", 2));

    assertThat(stub.events()).hasSize(1);
    assertThat(keel.stats().sent()).isEqualTo(1);
    assertThat(keel.stats().dropped()).isEqualTo(1);
  }

  @Test
  void client_withoutKeys_recordsNothingAndNeverThrows() {
    try (KeelClient keel = new KeelClientBuilder(Map.of()).baseUrl(stub.baseUrl())
        .shutdownHook(false).build()) {
      try (Trace trace = keel.trace("t")) {
        trace.generation("g").usage(1, 1).end();
      }

      assertThat(keel.flush(Duration.ofSeconds(1))).isTrue();
      assertThat(stub.ingestionRequests.get()).isZero();
    }
  }

  @Test
  void builder_readsKeysAndUrlFromEnvironment() {
    Map<String, String> env = Map.of("LANGFUSE_BASE_URL", stub.baseUrl(),
        "KEEL_PUBLIC_KEY", StubKeel.PUBLIC_KEY, "LANGFUSE_SECRET_KEY", StubKeel.SECRET_KEY,
        "KEEL_RELEASE", "v9");
    try (KeelClient keel = new KeelClientBuilder(env).shutdownHook(false).build()) {
      keel.trace("t").end();

      assertThat(keel.flush(Duration.ofSeconds(5))).isTrue();
      assertThat(stub.events().get(0).path("body").path("release").asText()).isEqualTo("v9");
    }
  }

  @Test
  void export_eventOverLimit_sentWithPayloadOmitted() {
    try (KeelClient keel = stub.client().maxEventBytes(2_000).build()) {
      keel.trace("big").input("x".repeat(5_000)).end();

      assertThat(keel.flush(Duration.ofSeconds(5))).isTrue();

      JsonNode body = stub.events("trace-create").get(1).path("body");
      assertThat(body.path("input").asText()).startsWith("[omitted by keel-sdk");
    }
  }
}
