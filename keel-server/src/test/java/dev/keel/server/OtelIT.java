package dev.keel.server;

import static dev.keel.server.KeelFixture.basicPair;
import static dev.keel.server.KeelFixture.bearerMaster;
import static dev.keel.server.KeelFixture.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keel.core.trace.Observation;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * OTLP ingestion through HTTP: the OpenTelemetry Java SDK's OTLP/HTTP exporter (protobuf, plain
 * and gzip) sends nested GenAI spans to a real Keel, and the Langfuse-style read API gives them
 * back; OTLP/JSON, auth and the 400/413 answers are checked with a plain client.
 */
class OtelIT {

  static final String TRACES = "/api/public/otel/v1/traces";
  // Epoch nanos with sub-microsecond digits, to see what precision survives.
  static final long T0 = 1_767_225_600_123_456_789L;
  static final String JSON_SPAN = """
      {"resourceSpans":[{"scopeSpans":[{"scope":{"name":"curl"},"spans":[
        {"traceId":"%s","spanId":"b7ad6b7169203331","name":"json-root",
         "startTimeUnixNano":"1767225600000000000","endTimeUnixNano":"1767225601000000000",
         "attributes":[{"key":"user.id","value":{"stringValue":"json-user"}}]}]}]}]}
      """;

  @TempDir
  static Path dir;
  static KeelFixture keel;

  @BeforeAll
  static void start() {
    keel = KeelFixture.start(dir, "limits:\n  max_ingestion_body_bytes: 200000\n");
  }

  @AfterAll
  static void stop() {
    keel.close();
  }

  @Test
  void javaSdkExporter_nestedGenAiSpans_readBackWithUsageCostParentsAndTimes() {
    String traceId = exportNestedTrace(null);

    JsonNode t = json(keel.get("/api/public/traces/" + traceId, "authorization", basicPair()));

    assertThat(t.get("name").asText()).isEqualTo("support-turn");
    assertThat(t.get("userId").asText()).isEqualTo("user-42");
    assertThat(t.get("sessionId").asText()).isEqualTo("session-7");
    assertThat(t.get("timestamp").asText()).isEqualTo("2026-01-01T00:00:00.123Z");
    assertThat(t.get("observations")).hasSize(3);
    assertThat(new BigDecimal(t.get("totalCost").asText())).isEqualByComparingTo("0.000225");
    Map<String, JsonNode> byName = byName(t.get("observations"));
    JsonNode root = byName.get("support-turn");
    JsonNode chat = byName.get("chat gpt-4o-mini");
    JsonNode tool = byName.get("search");
    assertThat(root.get("type").asText()).isEqualTo("SPAN");
    assertThat(root.get("parentObservationId").isNull()).isTrue();
    assertThat(chat.get("type").asText()).isEqualTo("GENERATION");
    assertThat(chat.get("parentObservationId").asText()).isEqualTo(root.get("id").asText());
    assertThat(tool.get("type").asText()).isEqualTo("TOOL");
    assertThat(tool.get("parentObservationId").asText()).isEqualTo(chat.get("id").asText());
    assertThat(chat.get("model").asText()).isEqualTo("gpt-4o-mini");
    assertThat(chat.get("modelParameters").get("temperature").asDouble()).isEqualTo(0.3);
    assertThat(chat.get("usageDetails")).isEqualTo(json(
        "{\"input\":1000,\"input_cached_tokens\":200,\"output\":100,\"total\":1300}"));
    // 1000 x 0.15e-6 + 200 x 0.075e-6 + 100 x 0.6e-6
    assertThat(new BigDecimal(chat.get("calculatedTotalCost").asText()))
        .isEqualByComparingTo("0.000225");
    assertThat(chat.get("input").get(0).get("role").asText()).isEqualTo("user");
    assertThat(chat.get("output").get(0).get("role").asText()).isEqualTo("assistant");
    assertThat(chat.get("startTime").asText()).isEqualTo("2026-01-01T00:00:00.223Z");
    assertThat(chat.get("endTime").asText()).isEqualTo("2026-01-01T00:00:01.223Z");
    assertThat(tool.get("level").asText()).isEqualTo("ERROR");
    assertThat(tool.get("statusMessage").asText()).isEqualTo("index offline");
  }

  @Test
  void javaSdkExporter_storeKeepsMicroseconds() {
    String traceId = exportNestedTrace(null);

    List<Observation> stored = keel.observations(traceId);

    // Nanoseconds arrive; the store keeps epoch microseconds, so 789 ns are cut.
    Observation root = stored.stream().filter(o -> o.parentObservationId() == null)
        .findFirst().orElseThrow();
    assertThat(root.startTime()).isEqualTo(Instant.ofEpochSecond(1_767_225_600L, 123_456_000));
  }

  @Test
  void javaSdkExporter_gzip_stored() {
    String traceId = exportNestedTrace("gzip");

    JsonNode t = json(keel.get("/api/public/traces/" + traceId, "authorization", basicPair()));

    assertThat(t.get("observations")).hasSize(3);
  }

  @Test
  void otlpJson_storedAndAnsweredWithEmptyObject() {
    String traceId = "5b8efff798038103d269b633813fc60c";

    HttpResponse<String> r = keel.post(TRACES, JSON_SPAN.formatted(traceId),
        "authorization", bearerMaster(), "content-type", "application/json");

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("{}");
    JsonNode t = json(keel.get("/api/public/traces/" + traceId, "authorization", basicPair()));
    assertThat(t.get("userId").asText()).isEqualTo("json-user");
    assertThat(t.get("name").asText()).isEqualTo("json-root");
  }

  @Test
  void otlpJsonGzip_stored() throws IOException {
    String traceId = "6b8efff798038103d269b633813fc60c";

    HttpResponse<String> r = keel.post(TRACES, gzip(JSON_SPAN.formatted(traceId)),
        "authorization", basicPair(), "content-type", "application/json",
        "content-encoding", "gzip");

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(keel.trace(traceId).trace().userId()).isEqualTo("json-user");
  }

  @Test
  void auth_noKey401_publicKeyAlone403_wrongSecret401() {
    String body = JSON_SPAN.formatted("7b8efff798038103d269b633813fc60c");
    String wrong = "Basic " + Base64.getEncoder().encodeToString(
        (KeelFixture.PUBLIC_KEY + ":sk-lf-wrong").getBytes(StandardCharsets.UTF_8));

    var none = keel.post(TRACES, body, "content-type", "application/json");
    var publicOnly = keel.post(TRACES, body, "content-type", "application/json",
        "authorization", "Bearer " + KeelFixture.PUBLIC_KEY);
    var badSecret = keel.post(TRACES, body, "content-type", "application/json",
        "authorization", wrong);

    assertThat(none.statusCode()).isEqualTo(401);
    assertThat(json(none).get("message").asText()).contains("missing credentials");
    assertThat(publicOnly.statusCode()).isEqualTo(403);
    assertThat(badSecret.statusCode()).isEqualTo(401);
    assertThat(keel.server.store().traces().findTrace(KeelFixture.PROJECT,
        "7b8efff798038103d269b633813fc60c")).isEmpty();
  }

  @Test
  void invalidSpanId_400NamingTheSpan_nothingStored() {
    String traceId = "8b8efff798038103d269b633813fc60c";
    String body = """
        {"resourceSpans":[{"scopeSpans":[{"spans":[
          {"traceId":"%s","spanId":"b7ad6b7169203331","name":"good"},
          {"traceId":"%s","spanId":"b7ad","name":"bad"}]}]}]}
        """.formatted(traceId, traceId);

    var r = keel.post(TRACES, body, "authorization", basicPair(),
        "content-type", "application/json");

    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(json(r).get("message").asText())
        .contains("spans[1] 'bad': spanId must be 8 bytes (16 hex characters), got 2 bytes");
    assertThat(keel.server.store().traces().findTrace(KeelFixture.PROJECT, traceId)).isEmpty();
  }

  @Test
  void badBodies_400s() {
    var protobuf = keel.post(TRACES, new byte[] {0x0a, (byte) 0xff, 0x01},
        "authorization", basicPair(), "content-type", "application/x-protobuf");
    var notJson = keel.post(TRACES, "{\"resourceSpans\": [", "authorization", basicPair(),
        "content-type", "application/json");
    var wrongType = keel.post(TRACES, "x", "authorization", basicPair(),
        "content-type", "text/plain");
    var notGzip = keel.post(TRACES, "{}", "authorization", basicPair(),
        "content-type", "application/json", "content-encoding", "gzip");

    assertThat(protobuf.statusCode()).isEqualTo(400);
    assertThat(json(protobuf).get("message").asText()).contains("protobuf");
    assertThat(notJson.statusCode()).isEqualTo(400);
    assertThat(json(notJson).get("message").asText()).contains("not valid JSON");
    assertThat(wrongType.statusCode()).isEqualTo(400);
    assertThat(json(wrongType).get("message").asText()).contains("Invalid content type");
    assertThat(notGzip.statusCode()).isEqualTo(400);
    assertThat(json(notGzip).get("message").asText()).contains("Not in GZIP format");
  }

  @Test
  void bodyOverTheLimit_413() {
    byte[] big = new byte[200_001];

    var r = keel.post(TRACES, big, "authorization", basicPair(),
        "content-type", "application/x-protobuf");

    assertThat(r.statusCode()).isEqualTo(413);
    assertThat(json(r).get("message").asText()).contains("limits.max_ingestion_body_bytes");
  }

  @Test
  void metrics_acceptedAndDropped() {
    var r = keel.post("/api/public/otel/v1/metrics", "{\"resourceMetrics\":[]}",
        "authorization", basicPair(), "content-type", "application/json");

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(json(r).get("message").asText()).isEqualTo("OK");
  }

  // A root span, a GenAI chat span under it and a failed tool call under that, exported by the
  // OpenTelemetry Java SDK in one batch; returns the trace id. (Spans of one trace exported in
  // separate batches, children first, leave the trace timestamp at the first batch's earliest
  // start: see docs/otel.md.)
  static String exportNestedTrace(String compression) {
    var exporter = OtlpHttpSpanExporter.builder().setEndpoint(keel.baseUrl() + TRACES)
        .addHeader("Authorization", basicPair()).setCompression(
            compression == null ? "none" : compression).build();
    var provider = SdkTracerProvider.builder()
        .setResource(Resource.create(Attributes.of(AttributeKey.stringKey("service.name"),
            "support-bot")))
        .addSpanProcessor(BatchSpanProcessor.builder(exporter).build()).build();
    try {
      Tracer tracer = provider.get("keel-it");
      Span root = tracer.spanBuilder("support-turn").setNoParent()
          .setStartTimestamp(T0, TimeUnit.NANOSECONDS)
          .setAttribute("user.id", "user-42").setAttribute("session.id", "session-7")
          .startSpan();
      Span chat = child(tracer, root, "chat gpt-4o-mini", T0 + 100_000_000L)
          .setAttribute("gen_ai.operation.name", "chat")
          .setAttribute("gen_ai.request.model", "gpt-4o-mini")
          .setAttribute("gen_ai.request.temperature", 0.3)
          .setAttribute("gen_ai.usage.input_tokens", 1200L)
          .setAttribute("gen_ai.usage.cache_read.input_tokens", 200L)
          .setAttribute("gen_ai.usage.output_tokens", 100L)
          .setAttribute("gen_ai.input.messages", "[{\"role\":\"user\",\"parts\":"
              + "[{\"type\":\"text\",\"content\":\"Where is my order?\"}]}]")
          .setAttribute("gen_ai.output.messages", "[{\"role\":\"assistant\",\"parts\":"
              + "[{\"type\":\"text\",\"content\":\"It shipped.\"}]}]");
      Span tool = child(tracer, chat, "execute_tool", T0 + 200_000_000L)
          .setAttribute("gen_ai.operation.name", "execute_tool")
          .setAttribute("gen_ai.tool.name", "search");
      tool.setStatus(StatusCode.ERROR, "index offline");
      tool.end(T0 + 300_000_000L, TimeUnit.NANOSECONDS);
      chat.end(T0 + 1_100_000_000L, TimeUnit.NANOSECONDS);
      root.end(T0 + 1_200_000_000L, TimeUnit.NANOSECONDS);
      assertThat(provider.forceFlush().join(20, TimeUnit.SECONDS).isSuccess())
          .as("export accepted").isTrue();
      return root.getSpanContext().getTraceId();
    } finally {
      provider.shutdown().join(10, TimeUnit.SECONDS);
    }
  }

  private static Span child(Tracer tracer, Span parent, String name, long startNanos) {
    return tracer.spanBuilder(name).setParent(Context.current().with(parent))
        .setStartTimestamp(startNanos, TimeUnit.NANOSECONDS).startSpan();
  }

  private static Map<String, JsonNode> byName(JsonNode observations) {
    return java.util.stream.StreamSupport.stream(observations.spliterator(), false)
        .collect(Collectors.toMap(o -> o.get("name").asText(), Function.identity()));
  }

  private static byte[] gzip(String s) throws IOException {
    var out = new ByteArrayOutputStream();
    try (var gz = new GZIPOutputStream(out)) {
      gz.write(s.getBytes(StandardCharsets.UTF_8));
    }
    return out.toByteArray();
  }
}
