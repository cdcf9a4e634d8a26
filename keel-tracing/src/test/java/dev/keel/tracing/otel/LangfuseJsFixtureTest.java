package dev.keel.tracing.otel;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keel.core.cost.CostCalculator;
import dev.keel.core.trace.Level;
import dev.keel.core.trace.Observation;
import dev.keel.core.trace.ObservationType;
import dev.keel.core.trace.Trace;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Replays what the real {@code @langfuse/otel} 5.11.1 SDK put on the wire (recorded by
 * e2e/node/langfuse-otel.test.js with KEEL_RECORD_FIXTURES=1), as OTLP/JSON and re-encoded as
 * protobuf, so the mapping stays tested on a machine without Node.
 */
class LangfuseJsFixtureTest {

  static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void replay_json_everyFieldTheSdkSent() throws IOException {
    JsonNode fixture = fixture();

    Batch b = replay(fixture, OtlpFormat.JSON);

    assertSdkTrace(fixture.get("ids"), b);
  }

  @Test
  void replay_reencodedAsProtobuf_sameEntities() throws IOException {
    JsonNode fixture = fixture();

    Batch json = replay(fixture, OtlpFormat.JSON);
    Batch protobuf = replay(fixture, OtlpFormat.PROTOBUF);

    assertThat(protobuf.observations()).usingRecursiveFieldByFieldElementComparator()
        .containsExactlyElementsOf(json.observations());
    assertThat(protobuf.traces()).containsExactlyElementsOf(json.traces());
  }

  @Test
  void fixture_isTheSdksJsonExport() throws IOException {
    for (JsonNode export : fixture().get("exports")) {
      assertThat(export.get("contentType").asText()).isEqualTo("application/json");
      assertThat(export.get("sdkName").asText()).isEqualTo("javascript");
      assertThat(export.get("sdkVersion").asText()).isEqualTo("5.11.1");
    }
  }

  private static void assertSdkTrace(JsonNode ids, Batch b) throws IOException {
    Trace t = OtelMappingTest.only(b.traces());
    assertThat(t.id()).isEqualTo(ids.get("traceId").asText());
    assertThat(t.name()).isEqualTo("support-request");
    assertThat(t.userId()).isEqualTo("user-7");
    assertThat(t.sessionId()).isEqualTo("sess-3");
    assertThat(t.tags()).containsExactlyInAnyOrder("support", "beta");
    assertThat(json(t.metadata())).isEqualTo(json("{\"tenant\":\"acme\"}"));
    assertThat(t.version()).isEqualTo("v9");
    assertThat(t.release()).isEqualTo("r-1");
    assertThat(t.environment()).isEqualTo("staging");
    assertThat(json(t.input())).isEqualTo(json("{\"question\":\"Where is my order?\"}"));
    assertThat(json(t.output())).isEqualTo(json("{\"answer\":\"It shipped yesterday.\"}"));
    assertThat(b.observations()).hasSize(5);

    String rootId = ids.get("rootId").asText();
    Observation root = OtelMappingTest.byId(b.observations(), rootId);
    assertThat(root.type()).isEqualTo(ObservationType.SPAN);
    assertThat(root.parentObservationId()).isNull();
    assertThat(t.timestamp()).isEqualTo(root.startTime());
    assertThat(json(root.metadata()).get("channel").asText()).isEqualTo("web");
    assertThat(json(root.metadata()).has("attributes")).isFalse();
    Observation tool = OtelMappingTest.byId(b.observations(), ids.get("toolId").asText());
    assertThat(tool.type()).isEqualTo(ObservationType.TOOL);
    assertThat(tool.parentObservationId()).isEqualTo(rootId);
    assertThat(json(tool.input())).isEqualTo(json("{\"orderId\":42}"));
    assertThat(json(tool.output())).isEqualTo(json("{\"status\":\"shipped\"}"));
    Observation event = OtelMappingTest.byId(b.observations(), ids.get("eventId").asText());
    assertThat(event.type()).isEqualTo(ObservationType.EVENT);
    assertThat(event.level()).isEqualTo(Level.WARNING);
    assertThat(event.statusMessage()).isEqualTo("cache was cold");
    assertThat(json(event.metadata()).get("reason").asText()).isEqualTo("cold");

    assertGeneration(OtelMappingTest.byId(b.observations(), ids.get("generationId").asText()),
        rootId);
    Observation priced = OtelMappingTest.byId(b.observations(), ids.get("pricedId").asText());
    assertThat(priced.usage().details()).containsExactlyInAnyOrderEntriesOf(Map.of("input",
        1000L, "input_cached_tokens", 200L, "output", 100L, "total", 1300L));
    assertThat(priced.cost().total()).isEqualByComparingTo("0.000225");
    assertThat(priced.level()).isEqualTo(Level.DEFAULT);
  }

  private static void assertGeneration(Observation g, String rootId) throws IOException {
    assertThat(g.type()).isEqualTo(ObservationType.GENERATION);
    assertThat(g.parentObservationId()).isEqualTo(rootId);
    assertThat(g.model()).isEqualTo("gpt-4o-mini");
    assertThat(json(g.modelParameters())).isEqualTo(json(
        "{\"temperature\":0.2,\"max_tokens\":200}"));
    assertThat(json(g.input()).get(1).get("content").asText()).isEqualTo("Where is my order?");
    assertThat(json(g.output()).get("content").asText()).isEqualTo("It shipped yesterday.");
    assertThat(g.promptName()).isEqualTo("support-answer");
    assertThat(g.promptVersion()).isEqualTo(3);
    assertThat(g.completionStartTime()).isAfterOrEqualTo(g.startTime());
    assertThat(g.usage().details()).containsExactlyInAnyOrderEntriesOf(
        Map.of("input", 20L, "output", 5L, "total", 25L));
    assertThat(g.cost().details()).containsExactlyInAnyOrderEntriesOf(Map.of(
        "input", new BigDecimal("0.000003"), "output", new BigDecimal("0.000003"),
        "total", new BigDecimal("0.000006")));
  }

  private record Batch(List<Trace> traces, List<Observation> observations) {}

  // All exports of the recording through one ingestor, as one Keel would see them in turn.
  private static Batch replay(JsonNode fixture, OtlpFormat format) throws IOException {
    var traces = new ArrayList<Trace>();
    var observations = new ArrayList<Observation>();
    var ingestor = new OtelIngestor(CostCalculator.bundled()::cost, (t, o) -> {
      traces.addAll(t);
      observations.addAll(o);
    }, Clock.systemUTC());
    for (JsonNode export : fixture.get("exports")) {
      byte[] json = JSON.writeValueAsBytes(export.get("body"));
      byte[] body = format == OtlpFormat.JSON ? json
          : OtelIngestor.decode(json, OtlpFormat.JSON).toByteArray();
      assertThat(ingestor.ingest("p1", body, format).warnings()).isEmpty();
    }
    return new Batch(traces, observations);
  }

  private static JsonNode fixture() throws IOException {
    try (InputStream in = LangfuseJsFixtureTest.class.getResourceAsStream(
        "/fixtures/otel/langfuse-js-v5.json")) {
      assertThat(in).as("fixture on the test class path").isNotNull();
      return JSON.readTree(in);
    }
  }

  private static JsonNode json(String text) throws IOException {
    return OtelMappingTest.json(text);
  }
}
