package dev.keel.tracing.otel;

import static dev.keel.tracing.otel.Otlp.CHILD;
import static dev.keel.tracing.otel.Otlp.ROOT;
import static dev.keel.tracing.otel.Otlp.START;
import static dev.keel.tracing.otel.Otlp.TRACE;
import static dev.keel.tracing.otel.Otlp.attrs;
import static dev.keel.tracing.otel.Otlp.request;
import static dev.keel.tracing.otel.Otlp.span;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keel.core.cost.CostCalculator;
import dev.keel.core.trace.Level;
import dev.keel.core.trace.Observation;
import dev.keel.core.trace.ObservationType;
import dev.keel.core.trace.Trace;
import dev.keel.core.usage.Usage;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The span mapping of reference/langfuse-compat.md section 4, on hand-built protos. */
class OtelMappingTest {

  static final Instant NOW = Instant.parse("2026-01-02T03:04:05Z");
  static final ObjectMapper JSON = new ObjectMapper();

  final OtelIngestor ingestor = new OtelIngestor(CostCalculator.bundled()::cost,
      (traces, observations) -> { }, Clock.fixed(NOW, ZoneOffset.UTC));

  @Test
  void map_langfuseTraceAttributes_becomeTheTrace() throws IOException {
    var root = span(ROOT, null, "handle-question",
        "langfuse.trace.name", "support-request", "user.id", "user-7", "session.id", "sess-3",
        "langfuse.trace.tags", "[\"support\",\"beta\"]", "langfuse.trace.public", "true",
        "langfuse.trace.metadata", "{\"tenant\":\"acme\",\"tier\":\"gold\"}",
        "langfuse.trace.metadata.region", "eu", "langfuse.trace.input", "{\"q\":\"hi\"}",
        "langfuse.trace.output", "\"bye\"", "langfuse.release", "r-1",
        "langfuse.version", "v9", "langfuse.environment", "Langfuse-Staging");

    Trace t = only(ingestor.map("p1", request(root)).traces());

    assertThat(t.id()).isEqualTo(TRACE);
    assertThat(t.projectId()).isEqualTo("p1");
    assertThat(t.name()).isEqualTo("support-request");
    assertThat(t.userId()).isEqualTo("user-7");
    assertThat(t.sessionId()).isEqualTo("sess-3");
    assertThat(t.tags()).containsExactly("support", "beta");
    assertThat(t.isPublic()).isTrue();
    assertThat(json(t.metadata())).isEqualTo(json(
        "{\"tenant\":\"acme\",\"tier\":\"gold\",\"region\":\"eu\"}"));
    assertThat(json(t.input())).isEqualTo(json("{\"q\":\"hi\"}"));
    assertThat(t.output()).isEqualTo("\"bye\"");
    assertThat(t.release()).isEqualTo("r-1");
    assertThat(t.version()).isEqualTo("v9");
    assertThat(t.environment()).isEqualTo("staging");
    assertThat(t.timestamp()).isEqualTo(Instant.ofEpochSecond(0, START));
  }

  @Test
  void map_rootWithoutTraceAttributes_takesNameAndIoFromTheSpan() {
    var root = span(ROOT, null, "pipeline", "langfuse.observation.input", "{\"a\":1}",
        "langfuse.observation.output", "done");

    Trace t = only(ingestor.map("p1", request(root)).traces());

    assertThat(t.name()).isEqualTo("pipeline");
    assertThat(t.input()).isEqualTo("{\"a\":1}");
    assertThat(t.output()).isEqualTo("\"done\"");
    assertThat(t.release()).isNull();
    assertThat(t.version()).isEqualTo(null);
  }

  @Test
  void map_tagForms_arrayCommaSeparatedAndSingle() {
    assertThat(tagsOf("langfuse.trace.tags", List.of("a", "b"))).containsExactly("a", "b");
    assertThat(tagsOf("langfuse.trace.tags", "a, b,,c")).containsExactly("a", "b", "c");
    assertThat(tagsOf("langfuse.tags", "solo")).containsExactly("solo");
  }

  @Test
  void map_langfuseObservationAttributes_becomeTheGeneration() throws IOException {
    var gen = span(CHILD, ROOT, "answer", "langfuse.observation.type", "generation",
        "langfuse.observation.level", "warning",
        "langfuse.observation.status_message", "slow upstream",
        "langfuse.observation.input", "[{\"role\":\"user\",\"content\":\"Hi\"}]",
        "langfuse.observation.output", "{\"role\":\"assistant\",\"content\":\"Hello\"}",
        "langfuse.observation.model.name", "gpt-4o-mini",
        "langfuse.observation.model.parameters",
        "{\"temperature\":0.2,\"max_tokens\":200,\"stop\":[\"x\"]}",
        "langfuse.observation.usage_details", "{\"input\":20,\"output\":5,\"total\":25}",
        "langfuse.observation.cost_details", "{\"input\":0.000003,\"output\":0.000003}",
        "langfuse.observation.prompt.name", "support-answer",
        "langfuse.observation.prompt.version", 3L,
        "langfuse.observation.completion_start_time", "\"2026-01-01T00:00:00.500Z\"",
        "langfuse.observation.metadata", "{\"a\":1}",
        "langfuse.observation.metadata.channel", "web",
        "langfuse.observation.metadata.flags", "{\"beta\":true}");

    Observation o = only(ingestor.map("p1", request(gen)).observations());

    assertThat(o.id()).isEqualTo(CHILD);
    assertThat(o.traceId()).isEqualTo(TRACE);
    assertThat(o.parentObservationId()).isEqualTo(ROOT);
    assertThat(o.type()).isEqualTo(ObservationType.GENERATION);
    assertThat(o.level()).isEqualTo(Level.WARNING);
    assertThat(o.statusMessage()).isEqualTo("slow upstream");
    assertThat(json(o.input())).isEqualTo(json("[{\"role\":\"user\",\"content\":\"Hi\"}]"));
    assertThat(json(o.output())).isEqualTo(json("{\"role\":\"assistant\",\"content\":\"Hello\"}"));
    assertThat(o.model()).isEqualTo("gpt-4o-mini");
    assertThat(json(o.modelParameters())).isEqualTo(json(
        "{\"temperature\":0.2,\"max_tokens\":200,\"stop\":\"[\\\"x\\\"]\"}"));
    assertThat(o.usage().details()).containsExactlyInAnyOrderEntriesOf(
        Map.of("input", 20L, "output", 5L, "total", 25L));
    assertThat(o.cost().details()).containsExactlyInAnyOrderEntriesOf(Map.of(
        "input", new BigDecimal("0.000003"), "output", new BigDecimal("0.000003"),
        "total", new BigDecimal("0.000006")));
    assertThat(o.promptName()).isEqualTo("support-answer");
    assertThat(o.promptVersion()).isEqualTo(3);
    assertThat(o.completionStartTime()).isEqualTo(Instant.parse("2026-01-01T00:00:00.500Z"));
    JsonNode meta = json(o.metadata());
    assertThat(meta.get("a").asInt()).isEqualTo(1);
    assertThat(meta.get("channel").asText()).isEqualTo("web");
    assertThat(meta.get("flags").get("beta").asBoolean()).isTrue();
    assertThat(meta.get("scope").get("name").asText()).isEqualTo("test-scope");
    assertThat(meta.get("resourceAttributes").get("service.name").asText())
        .isEqualTo("support-bot");
  }

  @Test
  void map_promptLink_onlyOnGenerationsAndOnlyAsAPair() {
    var spanWithPrompt = span(CHILD, ROOT, "step", "langfuse.observation.type", "span",
        "langfuse.prompt.name", "p", "langfuse.prompt.version", "2");
    var nameOnly = span(ROOT, null, "gen", "langfuse.observation.type", "generation",
        "langfuse.prompt.name", "p");

    var r = ingestor.map("p1", request(spanWithPrompt, nameOnly));

    assertThat(r.observations()).allSatisfy(o -> {
      assertThat(o.promptName()).isNull();
      assertThat(o.promptVersion()).isNull();
    });
    assertThat(r.warnings()).anyMatch(w -> w.contains("prompt name and version"));
  }

  @Test
  void map_genAiUsage_splitsCacheOutOfInputWithoutDoubleCounting() {
    var gen = span(CHILD, ROOT, "chat claude", "gen_ai.operation.name", "chat",
        "gen_ai.request.model", "claude-3-5-haiku", "gen_ai.response.model",
        "claude-3-5-haiku-20241022", "gen_ai.usage.input_tokens", 100L,
        "gen_ai.usage.cache_read.input_tokens", 30L,
        "gen_ai.usage.cache_creation.input_tokens", 20L, "gen_ai.usage.output_tokens", 50L);

    Observation o = only(ingestor.map("p1", request(gen)).observations());

    assertThat(o.model()).isEqualTo("claude-3-5-haiku-20241022");
    assertThat(o.usage().details()).containsExactlyInAnyOrderEntriesOf(Map.of("input", 50L,
        "input_cached_tokens", 30L, "input_cache_creation", 20L, "output", 50L,
        "total", 150L));
    assertThat(o.usage().promptTokens()).isEqualTo(100);
    // 50 x 0.8e-6 + 30 x 0.08e-6 + 20 x 1e-6 + 50 x 4e-6
    assertThat(o.cost().total()).isEqualByComparingTo("0.0002624");
  }

  @Test
  void map_genAiReasoningTokens_splitOutOfOutput() {
    var gen = span(CHILD, ROOT, "chat o3", "gen_ai.operation.name", "chat",
        "gen_ai.request.model", "gpt-4o-mini", "gen_ai.usage.input_tokens", "12",
        "gen_ai.usage.output_tokens", 50L, "gen_ai.usage.reasoning.output_tokens", 10L,
        "gen_ai.usage.total_tokens", 62L);

    Usage u = only(ingestor.map("p1", request(gen)).observations()).usage();

    assertThat(u.details()).containsExactlyInAnyOrderEntriesOf(Map.of("input", 12L, "output", 40L,
        "output_reasoning_tokens", 10L, "total", 62L));
    assertThat(u.completionTokens()).isEqualTo(50);
  }

  @Test
  void map_genAiRequestAttributes_becomeModelParameters() throws IOException {
    var gen = span(CHILD, ROOT, "chat", "gen_ai.request.model", "gpt-4o",
        "gen_ai.request.temperature", 0.7, "gen_ai.request.max_tokens", 256L,
        "gen_ai.request.top_p", 0.9);

    Observation o = only(ingestor.map("p1", request(gen)).observations());

    assertThat(o.model()).isEqualTo("gpt-4o");
    assertThat(json(o.modelParameters())).isEqualTo(json(
        "{\"temperature\":0.7,\"max_tokens\":256,\"top_p\":0.9}"));
  }

  @Test
  void map_clientCost_winsOverComputedCost() {
    var gen = span(CHILD, ROOT, "chat", "gen_ai.request.model", "gpt-4o-mini",
        "gen_ai.usage.input_tokens", 1000L, "gen_ai.usage.output_tokens", 100L,
        "gen_ai.usage.cost", 0.5);

    Observation o = only(ingestor.map("p1", request(gen)).observations());

    assertThat(o.cost().details()).containsExactlyEntriesOf(
        Map.of("total", new BigDecimal("0.5")));
  }

  @Test
  void map_usageWithoutCost_isPricedExactly() {
    var gen = span(CHILD, ROOT, "chat", "gen_ai.request.model", "gpt-4o-mini",
        "gen_ai.usage.input_tokens", 1200L, "gen_ai.usage.cache_read.input_tokens", 200L,
        "gen_ai.usage.output_tokens", 100L);

    Observation o = only(ingestor.map("p1", request(gen)).observations());

    // 1000 x 0.15e-6 + 200 x 0.075e-6 + 100 x 0.6e-6
    assertThat(o.cost().total()).isEqualByComparingTo("0.000225");
    assertThat(o.level()).isEqualTo(Level.DEFAULT);
  }

  @Test
  void map_unknownModel_noCostAndAWarningLevel() {
    var gen = span(CHILD, ROOT, "chat", "gen_ai.operation.name", "chat",
        "gen_ai.request.model", "my-private-model", "gen_ai.usage.input_tokens", 10L,
        "gen_ai.usage.output_tokens", 2L);

    Observation o = only(ingestor.map("p1", request(gen)).observations());

    assertThat(o.cost()).isNull();
    assertThat(o.level()).isEqualTo(Level.WARNING);
    assertThat(o.statusMessage()).contains("my-private-model");
  }

  @Test
  void map_genAiMessages_systemInstructionsFirst() throws IOException {
    var gen = span(CHILD, ROOT, "chat", "gen_ai.operation.name", "chat",
        "gen_ai.system_instructions", "[{\"type\":\"text\",\"content\":\"Be brief\"}]",
        "gen_ai.input.messages",
        "[{\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"content\":\"Hi\"}]}]",
        "gen_ai.output.messages",
        "[{\"role\":\"assistant\",\"parts\":[{\"type\":\"text\",\"content\":\"Hello\"}]}]");

    Observation o = only(ingestor.map("p1", request(gen)).observations());

    assertThat(json(o.input())).isEqualTo(json("[{\"role\":\"system\",\"parts\":"
        + "[{\"type\":\"text\",\"content\":\"Be brief\"}]},"
        + "{\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"content\":\"Hi\"}]}]"));
    assertThat(json(o.output())).isEqualTo(json(
        "[{\"role\":\"assistant\",\"parts\":[{\"type\":\"text\",\"content\":\"Hello\"}]}]"));
    assertThat(json(o.metadata()).get("attributes").has("gen_ai.input.messages")).isFalse();
  }

  @Test
  void map_olderGenAiPromptForms_flattenedAndWhole() throws IOException {
    var flattened = span(CHILD, ROOT, "chat", "gen_ai.prompt.0.role", "user",
        "gen_ai.prompt.0.content", "Hi", "gen_ai.prompt.1.role", "assistant",
        "gen_ai.prompt.1.content", "Hello", "gen_ai.completion.0.role", "assistant",
        "gen_ai.completion.0.content", "Bye");
    var whole = span(ROOT, null, "chat", "gen_ai.prompt", "Tell me a joke",
        "gen_ai.completion", "[{\"role\":\"assistant\",\"content\":\"No\"}]");

    var r = ingestor.map("p1", request(flattened, whole));

    Observation f = byId(r.observations(), CHILD);
    assertThat(json(f.input())).isEqualTo(json("[{\"role\":\"user\",\"content\":\"Hi\"},"
        + "{\"role\":\"assistant\",\"content\":\"Hello\"}]"));
    assertThat(json(f.output())).isEqualTo(json("[{\"role\":\"assistant\",\"content\":\"Bye\"}]"));
    Observation w = byId(r.observations(), ROOT);
    assertThat(w.input()).isEqualTo("\"Tell me a joke\"");
    assertThat(json(w.output())).isEqualTo(json("[{\"role\":\"assistant\",\"content\":\"No\"}]"));
  }

  @Test
  void map_genAiEvents_becomeInputAndOutput() throws IOException {
    var gen = span(CHILD, ROOT, "chat")
        .addEvents(io.opentelemetry.proto.trace.v1.Span.Event.newBuilder()
            .setName("gen_ai.user.message").addAllAttributes(attrs("content", "Hi")))
        .addEvents(io.opentelemetry.proto.trace.v1.Span.Event.newBuilder()
            .setName("gen_ai.choice").addAllAttributes(attrs("message", "{\"content\":\"Yo\"}")));

    Observation o = only(ingestor.map("p1", request(gen)).observations());

    assertThat(json(o.input())).isEqualTo(json("[{\"role\":\"user\",\"content\":\"Hi\"}]"));
    assertThat(json(o.output())).isEqualTo(json(
        "[{\"role\":\"assistant\",\"message\":{\"content\":\"Yo\"}}]"));
  }

  @Test
  void map_userAndSessionAliases_onAChildSpan_makeAPartialTrace() {
    var child = span(CHILD, ROOT, "step", "langfuse.user.id", "u2",
        "gen_ai.conversation.id", "conv-9");

    Trace t = only(ingestor.map("p1", request(child)).traces());

    assertThat(t.userId()).isEqualTo("u2");
    assertThat(t.sessionId()).isEqualTo("conv-9");
    assertThat(t.name()).isNull();
    assertThat(t.input()).isNull();
  }

  @Test
  void map_rootAndChildInOneExport_oneTraceWithTheRootsValues() {
    var child = span(CHILD, ROOT, "child", "user.id", "u1", "langfuse.trace.name", "from-child",
        "langfuse.trace.tags", "a")
        .setStartTimeUnixNano(START - 5);
    var root = span(ROOT, null, "root", "langfuse.trace.name", "from-root",
        "langfuse.trace.tags", "b");

    Trace t = only(ingestor.map("p1", request(child, root)).traces());

    assertThat(t.name()).isEqualTo("from-root");
    assertThat(t.userId()).isEqualTo("u1");
    assertThat(t.tags()).containsExactlyInAnyOrder("a", "b");
    assertThat(t.timestamp()).isEqualTo(Instant.ofEpochSecond(0, START));
  }

  @Test
  void map_asRootFlag_makesASpanWithAParentARoot() {
    var span = span(CHILD, ROOT, "detached", "langfuse.internal.as_root", true);

    Trace t = only(ingestor.map("p1", request(span)).traces());

    assertThat(t.name()).isEqualTo("detached");
  }

  @Test
  void map_times_keepNanoseconds() {
    Observation o = only(ingestor.map("p1", request(span(ROOT, null, "x"))).observations());

    assertThat(o.startTime()).isEqualTo(Instant.ofEpochSecond(1_767_225_600L, 123_456_789));
    assertThat(o.endTime()).isEqualTo(Instant.ofEpochSecond(1_767_225_601L, 623_456_789));
  }

  @Test
  void map_missingTimes_copyTheOtherOrUseNow() {
    var noEnd = span(ROOT, null, "a").setEndTimeUnixNano(0);
    var noStart = span(CHILD, ROOT, "b").setStartTimeUnixNano(0);
    var neither = span("1111111111111111", ROOT, "c").setStartTimeUnixNano(0)
        .setEndTimeUnixNano(0);

    var r = ingestor.map("p1", request(noEnd, noStart, neither));

    Instant start = Instant.ofEpochSecond(0, START);
    assertThat(byId(r.observations(), ROOT).endTime()).isEqualTo(start);
    assertThat(byId(r.observations(), CHILD).startTime()).isEqualTo(start.plusMillis(1500));
    assertThat(byId(r.observations(), "1111111111111111").startTime()).isEqualTo(NOW);
  }

  @Test
  void map_errorStatus_levelErrorWithItsMessage() {
    var span = Otlp.error(span(ROOT, null, "call"), "upstream 500");

    Observation o = only(ingestor.map("p1", request(span)).observations());

    assertThat(o.level()).isEqualTo(Level.ERROR);
    assertThat(o.statusMessage()).isEqualTo("upstream 500");
  }

  @Test
  void map_otherScope_keepsRemainingAttributesInMetadata() throws IOException {
    var span = span(ROOT, null, "db", "db.system", "postgresql", "langfuse.release", "r");

    JsonNode meta = json(only(ingestor.map("p1", request(span)).observations()).metadata());

    assertThat(meta.get("attributes").get("db.system").asText()).isEqualTo("postgresql");
    assertThat(meta.get("attributes").has("langfuse.release")).isFalse();
  }

  @Test
  void map_langfuseSdkScope_leavesAttributesOutOfMetadata() throws IOException {
    var req = request("langfuse-sdk", attrs(), span(ROOT, null, "x", "db.system", "pg"));

    JsonNode meta = json(only(ingestor.map("p1", req).observations()).metadata());

    assertThat(meta.has("attributes")).isFalse();
    assertThat(meta.get("scope").get("name").asText()).isEqualTo("langfuse-sdk");
  }

  @Test
  void map_environment_fromResourceWhenTheSpanHasNone() {
    var req = request("s", attrs("deployment.environment.name", "prod"), span(ROOT, null, "x"));

    assertThat(only(ingestor.map("p1", req).observations()).environment()).isEqualTo("prod");
    assertThat(only(ingestor.map("p1", req).traces()).environment()).isEqualTo("prod");
  }

  @Test
  void map_badAttributeValues_droppedWithWarnings() {
    var gen = span(ROOT, null, "g", "langfuse.observation.type", "generation",
        "langfuse.observation.usage_details", "{\"input\":-4,\"output\":\"x\",\"total\":3}",
        "langfuse.observation.cost_details", "[1,2]",
        "langfuse.observation.level", "LOUD",
        "langfuse.observation.completion_start_time", "yesterday");

    var r = ingestor.map("p1", request(gen));

    Observation o = only(r.observations());
    assertThat(o.usage().details()).containsExactlyInAnyOrderEntriesOf(Map.of("total", 3L));
    assertThat(o.cost()).isNull();
    assertThat(o.level()).isEqualTo(Level.DEFAULT);
    assertThat(o.completionStartTime()).isNull();
    assertThat(r.warnings()).hasSize(5);
    assertThat(OtelIngestor.response(r, OtlpFormat.JSON)).asString()
        .contains("\"partialSuccess\"").contains("\"rejectedSpans\":0").contains("LOUD");
  }

  private List<String> tagsOf(String key, Object value) {
    return only(ingestor.map("p1", request(span(ROOT, null, "x", key, value)))
        .traces()).tags();
  }

  static Observation byId(List<Observation> all, String id) {
    return all.stream().filter(o -> o.id().equals(id)).findFirst().orElseThrow();
  }

  static <T> T only(List<T> items) {
    assertThat(items).hasSize(1);
    return items.get(0);
  }

  static JsonNode json(String text) throws IOException {
    return JSON.readTree(text);
  }
}
