package dev.keel.tracing.otel;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.util.HexFormat;
import java.util.List;

/** Hand-built OTLP protos for the mapping tests. */
final class Otlp {

  static final String TRACE = "0af7651916cd43dd8448eb211c80319c";
  static final String ROOT = "b7ad6b7169203331";
  static final String CHILD = "00f067aa0ba902b7";
  static final long START = 1_767_225_600_123_456_789L;

  private Otlp() {}

  static Span.Builder span(String spanId, String parentId, String name, Object... kvs) {
    var b = Span.newBuilder().setTraceId(bytes(TRACE)).setSpanId(bytes(spanId)).setName(name)
        .setStartTimeUnixNano(START).setEndTimeUnixNano(START + 1_500_000_000L)
        .addAllAttributes(attrs(kvs));
    if (parentId != null) {
      b.setParentSpanId(bytes(parentId));
    }
    return b;
  }

  static Span.Builder error(Span.Builder span, String message) {
    return span.setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_ERROR)
        .setMessage(message));
  }

  static ExportTraceServiceRequest request(String scope, List<KeyValue> resource,
      Span.Builder... spans) {
    var ss = ScopeSpans.newBuilder().setScope(InstrumentationScope.newBuilder().setName(scope)
        .setVersion("1.0"));
    for (Span.Builder s : spans) {
      ss.addSpans(s);
    }
    return ExportTraceServiceRequest.newBuilder().addResourceSpans(ResourceSpans.newBuilder()
        .setResource(Resource.newBuilder().addAllAttributes(resource)).addScopeSpans(ss)).build();
  }

  static ExportTraceServiceRequest request(Span.Builder... spans) {
    return request("test-scope", attrs("service.name", "support-bot"), spans);
  }

  static ByteString bytes(String hex) {
    return ByteString.copyFrom(HexFormat.of().parseHex(hex));
  }

  /** Attributes from key, value pairs: String, Long, Integer, Double, Boolean or List values. */
  static List<KeyValue> attrs(Object... kvs) {
    var out = new java.util.ArrayList<KeyValue>();
    for (int i = 0; i < kvs.length; i += 2) {
      out.add(KeyValue.newBuilder().setKey((String) kvs[i]).setValue(value(kvs[i + 1])).build());
    }
    return out;
  }

  static AnyValue value(Object v) {
    var b = AnyValue.newBuilder();
    return switch (v) {
      case String s -> b.setStringValue(s).build();
      case Integer n -> b.setIntValue(n).build();
      case Long n -> b.setIntValue(n).build();
      case Double d -> b.setDoubleValue(d).build();
      case Boolean bool -> b.setBoolValue(bool).build();
      case List<?> list -> {
        var a = ArrayValue.newBuilder();
        list.forEach(x -> a.addValues(value(x)));
        yield b.setArrayValue(a).build();
      }
      default -> throw new IllegalArgumentException("unsupported value " + v);
    };
  }
}
