package dev.keel.tracing.otel;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.keel.core.cost.Pricer;
import dev.keel.core.error.ErrorCode;
import dev.keel.core.error.KeelException;
import dev.keel.core.trace.Observation;
import dev.keel.core.trace.Trace;
import io.opentelemetry.proto.collector.trace.v1.ExportTracePartialSuccess;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Turns an OTLP trace export into Keel traces and observations and writes them: each span
 * becomes one observation, and each trace id seen gets a trace (complete from its root span,
 * partial from the trace-level attributes of other spans). The write happens before
 * {@link #ingest} returns, so an exporter's 200 means the spans are committed.
 *
 * <p>A malformed body or a span without valid ids fails the whole export with a
 * {@link KeelException} (400) naming the span, as Langfuse does, so that nothing is stored
 * half. A span that ends before it starts is rejected alone, named by its id, and the rest of
 * the export is stored. Problems inside a valid span drop the bad attribute and come back as
 * warnings. The answer carries rejections and warnings as an OTLP partial success.
 */
public final class OtelIngestor {

  private static final int MAX_WARNINGS = 20;

  private final SpanMapper mapper;
  private final BatchWriter writer;
  private final Clock clock;

  /** Where mapped entities go; {@code TraceStore::write} fits. */
  @FunctionalInterface
  public interface BatchWriter {
    void write(List<Trace> traces, List<Observation> observations);
  }

  /** What an export became; {@code rejected} says why each rejected span was left out. */
  public record Result(List<Trace> traces, List<Observation> observations,
      List<String> warnings, List<String> rejected) {
    public Result {
      traces = List.copyOf(traces);
      observations = List.copyOf(observations);
      warnings = List.copyOf(warnings);
      rejected = List.copyOf(rejected);
    }

    public Result(List<Trace> traces, List<Observation> observations, List<String> warnings) {
      this(traces, observations, warnings, List.of());
    }
  }

  /**
   * @param pricer prices usage when the span sent no cost of its own
   * @param writer commits each export's traces and observations in one call
   */
  public OtelIngestor(Pricer pricer, BatchWriter writer, Clock clock) {
    this.mapper = new SpanMapper(Objects.requireNonNull(pricer, "pricer"));
    this.writer = Objects.requireNonNull(writer, "writer");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * Decodes, maps and writes one export.
   *
   * @param body the request body, already inflated when it was sent gzipped
   * @throws KeelException 400 for a malformed body or a span without valid ids
   */
  public Result ingest(String projectId, byte[] body, OtlpFormat format) {
    Result r = map(projectId, decode(body, format));
    if (!r.observations().isEmpty() || !r.traces().isEmpty()) {
      writer.write(r.traces(), r.observations());
    }
    return r;
  }

  /** Parses a protobuf or OTLP/JSON body. */
  public static ExportTraceServiceRequest decode(byte[] body, OtlpFormat format) {
    if (format == OtlpFormat.PROTOBUF) {
      try {
        return ExportTraceServiceRequest.parseFrom(body);
      } catch (InvalidProtocolBufferException e) {
        throw invalid("body is not a valid OTLP ExportTraceServiceRequest protobuf: "
            + e.getMessage());
      }
    }
    JsonNode root;
    try {
      root = Attributes.JSON.readTree(body);
    } catch (JsonProcessingException e) {
      var loc = e.getLocation();
      throw invalid("body is not valid JSON: " + e.getOriginalMessage().lines().findFirst()
          .orElse("syntax error") + (loc == null ? "" : " at line " + loc.getLineNr()
          + ", column " + loc.getColumnNr()));
    } catch (IOException e) {
      throw invalid("body could not be read: " + e.getMessage());
    }
    try {
      return OtlpJson.read(root);
    } catch (IllegalArgumentException e) {
      throw invalid("body is not an OTLP/JSON trace export: " + e.getMessage());
    }
  }

  /**
   * Maps a decoded export without writing it.
   *
   * @throws KeelException 400 naming the first span whose ids are missing or invalid
   */
  public Result map(String projectId, ExportTraceServiceRequest req) {
    validateIds(req);
    Instant now = clock.instant();
    var warnings = new ArrayList<String>();
    var rejected = new ArrayList<String>();
    var observations = new ArrayList<Observation>();
    Map<String, TracePart> traces = new LinkedHashMap<>();
    for (ResourceSpans rs : req.getResourceSpansList()) {
      Attributes resource = Attributes.of(rs.getResource().getAttributesList());
      for (ScopeSpans ss : rs.getScopeSpansList()) {
        var origin = new SpanMapper.Origin(resource, ss.getScope(),
            Attributes.of(ss.getScope().getAttributesList()));
        for (Span span : ss.getSpansList()) {
          String problem = timeProblem(span);
          if (problem != null) {
            rejected.add(problem);
            continue;
          }
          SpanMapper.Mapped m = mapper.map(projectId, span, origin, now, warnings);
          observations.add(m.observation());
          traces.merge(m.trace().traceId(), m.trace(), TracePart::merge);
        }
      }
    }
    return new Result(traces.values().stream().map(TracePart::toTrace).toList(), observations,
        warnings.size() > MAX_WARNINGS ? warnings.subList(0, MAX_WARNINGS) : warnings,
        rejected);
  }

  // Both times are unsigned nanoseconds; 0 means unset (the other one stands in for it).
  private static String timeProblem(Span span) {
    long start = span.getStartTimeUnixNano();
    long end = span.getEndTimeUnixNano();
    if (start == 0 || end == 0 || Long.compareUnsigned(end, start) >= 0) {
      return null;
    }
    return "span " + HexFormat.of().formatHex(span.getSpanId().toByteArray()) + " '"
        + span.getName() + "' rejected: endTimeUnixNano " + Long.toUnsignedString(end)
        + " is before startTimeUnixNano " + Long.toUnsignedString(start)
        + " (it would end before it starts)";
  }

  /**
   * The success answer: an OTLP response, with rejected spans and warnings as a partial
   * success.
   */
  public static byte[] response(Result r, OtlpFormat format) {
    var parts = new ArrayList<String>(r.rejected().subList(0,
        Math.min(r.rejected().size(), MAX_WARNINGS)));
    parts.addAll(r.warnings());
    String message = String.join("; ", parts);
    int rejected = r.rejected().size();
    if (format == OtlpFormat.PROTOBUF) {
      var b = ExportTraceServiceResponse.newBuilder();
      if (!message.isEmpty()) {
        b.setPartialSuccess(ExportTracePartialSuccess.newBuilder().setRejectedSpans(rejected)
            .setErrorMessage(message));
      }
      return b.build().toByteArray();
    }
    ObjectNode json = Attributes.JSON.createObjectNode();
    if (!message.isEmpty()) {
      json.putObject("partialSuccess").put("rejectedSpans", rejected)
          .put("errorMessage", message);
    }
    return json.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static void validateIds(ExportTraceServiceRequest req) {
    for (int r = 0; r < req.getResourceSpansCount(); r++) {
      ResourceSpans rs = req.getResourceSpans(r);
      for (int s = 0; s < rs.getScopeSpansCount(); s++) {
        List<Span> spans = rs.getScopeSpans(s).getSpansList();
        for (int i = 0; i < spans.size(); i++) {
          String problem = idProblem(spans.get(i));
          if (problem != null) {
            throw invalid("span resourceSpans[" + r + "].scopeSpans[" + s + "].spans[" + i
                + "] '" + spans.get(i).getName() + "': " + problem
                + "; the export was not stored");
          }
        }
      }
    }
  }

  private static String idProblem(Span span) {
    String t = idProblem("traceId", span.getTraceId(), 16);
    if (t != null) {
      return t;
    }
    String s = idProblem("spanId", span.getSpanId(), 8);
    if (s != null) {
      return s;
    }
    int parent = span.getParentSpanId().size();
    return parent == 0 || parent == 8 ? null
        : "parentSpanId must be empty or 8 bytes (16 hex characters), got " + parent + " bytes";
  }

  private static String idProblem(String field, ByteString id, int size) {
    if (id.isEmpty()) {
      return field + " is missing";
    }
    if (id.size() != size) {
      return field + " must be " + size + " bytes (" + 2 * size + " hex characters), got "
          + id.size() + " bytes";
    }
    for (int i = 0; i < size; i++) {
      if (id.byteAt(i) != 0) {
        return null;
      }
    }
    return field + " is all zeros, which OpenTelemetry defines as invalid";
  }

  private static KeelException invalid(String message) {
    return new KeelException(ErrorCode.INVALID_REQUEST, message);
  }
}
