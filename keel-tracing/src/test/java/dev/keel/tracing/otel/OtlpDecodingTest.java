package dev.keel.tracing.otel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keel.core.cost.CostCalculator;
import dev.keel.core.error.ErrorCode;
import dev.keel.core.error.KeelException;
import dev.keel.core.trace.Level;
import dev.keel.core.trace.Observation;
import dev.keel.core.trace.Trace;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Bodies: OTLP/JSON quirks, protobuf, gzip, invalid ids and malformed input. */
class OtlpDecodingTest {

  final List<List<Observation>> written = new ArrayList<>();
  final OtelIngestor ingestor = new OtelIngestor(CostCalculator.bundled()::cost,
      (List<Trace> t, List<Observation> o) -> written.add(o), Clock.systemUTC());

  @Test
  void ingest_otlpJson_hexIdsStringInt64AndEnumNames() {
    String body = """
        {"resourceSpans":[{"resource":{"attributes":[
          {"key":"service.name","value":{"stringValue":"bot"}}]},
         "scopeSpans":[{"scope":{"name":"s","version":"1"},"spans":[
          {"traceId":"0af7651916cd43dd8448eb211c80319c","spanId":"b7ad6b7169203331",
           "parentSpanId":"","name":"chat","kind":"SPAN_KIND_CLIENT",
           "startTimeUnixNano":"1767225600123456789","endTimeUnixNano":1767225601000000000,
           "status":{"code":"STATUS_CODE_ERROR","message":"boom"},
           "attributes":[
            {"key":"gen_ai.usage.input_tokens","value":{"intValue":"12"}},
            {"key":"gen_ai.usage.output_tokens","value":{"intValue":3}},
            {"key":"gen_ai.request.temperature","value":{"doubleValue":0.5}},
            {"key":"flag","value":{"boolValue":true}},
            {"key":"langfuse.trace.tags","value":{"arrayValue":{"values":[
              {"stringValue":"a"},{"stringValue":"b"}]}}},
            {"key":"obj","value":{"kvlistValue":{"values":[
              {"key":"k","value":{"stringValue":"v"}}]}}}]}]}]}]}
        """;

    var r = ingestor.ingest("p1", utf8(body), OtlpFormat.JSON);

    Observation o = OtelMappingTest.only(r.observations());
    assertThat(o.id()).isEqualTo("b7ad6b7169203331");
    assertThat(o.traceId()).isEqualTo("0af7651916cd43dd8448eb211c80319c");
    assertThat(o.parentObservationId()).isNull();
    assertThat(o.startTime()).isEqualTo(Instant.ofEpochSecond(1_767_225_600L, 123_456_789));
    assertThat(o.level()).isEqualTo(Level.ERROR);
    assertThat(o.statusMessage()).isEqualTo("boom");
    assertThat(o.usage().get("input")).isEqualTo(12);
    assertThat(o.modelParameters()).isEqualTo("{\"temperature\":0.5}");
    assertThat(o.metadata()).contains("\"flag\":true").contains("\"obj\":{\"k\":\"v\"}");
    assertThat(OtelMappingTest.only(r.traces()).tags()).containsExactly("a", "b");
    assertThat(written).hasSize(1);
  }

  @Test
  void ingest_protobufAndJson_sameEntities() {
    var req = Otlp.request(Otlp.span(Otlp.ROOT, null, "root", "user.id", "u"),
        Otlp.span(Otlp.CHILD, Otlp.ROOT, "gen", "gen_ai.request.model", "gpt-4o-mini"));

    var fromProto = ingestor.ingest("p1", req.toByteArray(), OtlpFormat.PROTOBUF);

    assertThat(fromProto.observations()).hasSize(2);
    assertThat(fromProto.traces()).hasSize(1);
    assertThat(OtelMappingTest.byId(fromProto.observations(), Otlp.CHILD).parentObservationId())
        .isEqualTo(Otlp.ROOT);
  }

  @Test
  void response_protobufWithoutWarnings_isAnEmptyExportResponse() throws IOException {
    var r = ingestor.ingest("p1", Otlp.request(Otlp.span(Otlp.ROOT, null, "x")).toByteArray(),
        OtlpFormat.PROTOBUF);

    byte[] answer = OtelIngestor.response(r, OtlpFormat.PROTOBUF);

    assertThat(ExportTraceServiceResponse.parseFrom(answer).hasPartialSuccess()).isFalse();
    assertThat(new String(OtelIngestor.response(r, OtlpFormat.JSON), StandardCharsets.UTF_8))
        .isEqualTo("{}");
  }

  @Test
  void ingest_emptyExport_writesNothing() {
    var r = ingestor.ingest("p1", utf8("{\"resourceSpans\":[]}"), OtlpFormat.JSON);

    assertThat(r.observations()).isEmpty();
    assertThat(written).isEmpty();
  }

  @Test
  void ingest_traceIdOfWrongLength_400NamingTheSpan() {
    var bad = Otlp.span(Otlp.ROOT, null, "short").setTraceId(Otlp.bytes("0af76519"));

    assertInvalid(Otlp.request(Otlp.span(Otlp.CHILD, null, "ok"), bad).toByteArray(),
        "spans[1] 'short': traceId must be 16 bytes (32 hex characters), got 4 bytes");
    assertThat(written).isEmpty();
  }

  @Test
  void ingest_allZeroSpanId_400() {
    var bad = Otlp.span("0000000000000000", null, "zero");

    assertInvalid(Otlp.request(bad).toByteArray(), "'zero': spanId is all zeros");
  }

  @Test
  void ingest_missingSpanId_400() {
    var bad = Otlp.span(Otlp.ROOT, null, "none").clearSpanId();

    assertInvalid(Otlp.request(bad).toByteArray(), "'none': spanId is missing");
  }

  @Test
  void ingest_allZeroTraceIdInJson_400() {
    String body = "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"traceId\":"
        + "\"00000000000000000000000000000000\",\"spanId\":\"b7ad6b7169203331\","
        + "\"name\":\"z\"}]}]}]}";

    assertThatThrownBy(() -> ingestor.ingest("p1", utf8(body), OtlpFormat.JSON))
        .hasMessageContaining("traceId is all zeros");
  }

  @Test
  void ingest_parentIdOfWrongLength_400() {
    var bad = Otlp.span(Otlp.CHILD, null, "p").setParentSpanId(Otlp.bytes("0102"));

    assertInvalid(Otlp.request(bad).toByteArray(), "parentSpanId must be empty or 8 bytes");
  }

  @Test
  void ingest_malformedProtobuf_400() {
    assertInvalid(new byte[] {0x0a, (byte) 0xff, 0x01, 0x02},
        "not a valid OTLP ExportTraceServiceRequest protobuf");
  }

  @Test
  void ingest_malformedJson_400WithPosition() {
    assertThatThrownBy(() -> ingestor.ingest("p1", utf8("{\"resourceSpans\":[{"),
        OtlpFormat.JSON)).isInstanceOf(KeelException.class)
        .hasMessageContaining("not valid JSON").hasMessageContaining("line 1");
  }

  @Test
  void ingest_nonArraySpans_400NamingThePath() {
    String body = "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":{\"a\":1}}]}]}";

    assertThatThrownBy(() -> ingestor.ingest("p1", utf8(body), OtlpFormat.JSON))
        .hasMessageContaining("resourceSpans[0].scopeSpans[0].spans must be an array");
  }

  @Test
  void ingest_nonHexId_400() {
    String body = "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"traceId\":\"xyz\"}]}]}]}";

    assertThatThrownBy(() -> ingestor.ingest("p1", utf8(body), OtlpFormat.JSON))
        .hasMessageContaining("traceId is not hex: 'xyz'");
  }

  @Test
  void fromContentType_acceptsParametersAndRejectsOthers() {
    assertThat(OtlpFormat.fromContentType("application/json; charset=utf-8"))
        .contains(OtlpFormat.JSON);
    assertThat(OtlpFormat.fromContentType("application/x-protobuf")).contains(OtlpFormat.PROTOBUF);
    assertThat(OtlpFormat.fromContentType("text/plain")).isEmpty();
    assertThat(OtlpFormat.fromContentType(null)).isEmpty();
  }

  private void assertInvalid(byte[] protobuf, String message) {
    assertThatThrownBy(() -> ingestor.ingest("p1", protobuf, OtlpFormat.PROTOBUF))
        .isInstanceOf(KeelException.class).hasMessageContaining(message)
        .extracting(e -> ((KeelException) e).code()).isEqualTo(ErrorCode.INVALID_REQUEST);
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
