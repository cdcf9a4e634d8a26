package dev.keel.tracing.otel;

import static dev.keel.tracing.otel.Otlp.CHILD;
import static dev.keel.tracing.otel.Otlp.ROOT;
import static dev.keel.tracing.otel.Otlp.START;
import static dev.keel.tracing.otel.Otlp.request;
import static dev.keel.tracing.otel.Otlp.span;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keel.core.cost.CostCalculator;
import dev.keel.core.trace.Observation;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A span that ends before it starts is rejected alone; the rest of its export is kept. */
class OtelTimesTest {

  private final List<Observation> written = new ArrayList<>();
  private final OtelIngestor ingestor = new OtelIngestor(CostCalculator.bundled()::cost,
      (traces, observations) -> written.addAll(observations),
      Clock.fixed(Instant.parse("2026-01-02T03:04:05Z"), ZoneOffset.UTC));

  @Test
  void spanEndingBeforeItStarts_isRejectedByIdAndTheOthersAreStored() throws Exception {
    var root = span(ROOT, null, "root");
    var backwards = span(CHILD, ROOT, "backwards").setEndTimeUnixNano(START - 4_000_000_000L);
    byte[] body = request(root, backwards).toByteArray();

    OtelIngestor.Result r = ingestor.ingest("p1", body, OtlpFormat.PROTOBUF);

    assertThat(written).extracting(Observation::id).containsExactly(ROOT);
    assertThat(r.rejected()).singleElement().asString()
        .contains("span " + CHILD + " 'backwards' rejected")
        .contains("endTimeUnixNano " + (START - 4_000_000_000L))
        .contains("before startTimeUnixNano " + START);
    var proto = ExportTraceServiceResponse.parseFrom(
        OtelIngestor.response(r, OtlpFormat.PROTOBUF));
    assertThat(proto.getPartialSuccess().getRejectedSpans()).isEqualTo(1);
    assertThat(proto.getPartialSuccess().getErrorMessage()).contains(CHILD);
    var json = new ObjectMapper().readTree(OtelIngestor.response(r, OtlpFormat.JSON));
    assertThat(json.at("/partialSuccess/rejectedSpans").asInt()).isEqualTo(1);
  }

  @Test
  void spanWithOnlyOneTime_orEqualTimes_isKept() {
    var noEnd = span(ROOT, null, "open").setEndTimeUnixNano(0);
    var instant = span(CHILD, ROOT, "instant").setEndTimeUnixNano(START);

    OtelIngestor.Result r = ingestor.map("p1", request(noEnd, instant));

    assertThat(r.rejected()).isEmpty();
    assertThat(r.observations()).hasSize(2);
  }

  @Test
  void completionStartBeforeTheSpanStarts_isDroppedWithAWarning() {
    var g = span(ROOT, null, "gen", "langfuse.observation.type", "generation",
        "langfuse.observation.completion_start_time", "2000-01-01T00:00:00Z");

    OtelIngestor.Result r = ingestor.map("p1", request(g));

    assertThat(r.rejected()).isEmpty();
    assertThat(r.observations().get(0).completionStartTime()).isNull();
    assertThat(r.warnings()).singleElement().asString()
        .contains("completion_start_time 2000-01-01T00:00:00Z is before the span's start");
  }
}
