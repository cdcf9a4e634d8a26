package dev.keel.tracing.otel;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Reads OTLP/JSON into the protobuf request. OTLP/JSON is not protobuf's canonical JSON: ids
 * are hex, not base64; 64-bit integers may come as strings or numbers; enums as numbers or
 * names; field names in lowerCamelCase (snake_case is accepted too). A Node {@code Buffer}
 * serialised as {@code {"type":"Buffer","data":[...]}} is accepted as an id.
 */
final class OtlpJson {

  private static final HexFormat HEX = HexFormat.of();

  private OtlpJson() {}

  /** @throws IllegalArgumentException naming the path of the first malformed field */
  static ExportTraceServiceRequest read(JsonNode root) {
    if (root == null || !root.isObject()) {
      throw new IllegalArgumentException("body must be a JSON object with resourceSpans");
    }
    var req = ExportTraceServiceRequest.newBuilder();
    int i = 0;
    for (JsonNode rs : array(root, "resourceSpans", "resource_spans", "resourceSpans")) {
      req.addResourceSpans(resourceSpans(rs, "resourceSpans[" + i++ + "]"));
    }
    return req.build();
  }

  private static ResourceSpans resourceSpans(JsonNode n, String path) {
    requireObject(n, path);
    var b = ResourceSpans.newBuilder();
    JsonNode res = n.get("resource");
    if (res != null && !res.isNull()) {
      requireObject(res, path + ".resource");
      b.setResource(Resource.newBuilder()
          .addAllAttributes(keyValues(res, path + ".resource.attributes")));
    }
    String schema = text(n, "schemaUrl", "schema_url");
    if (schema != null) {
      b.setSchemaUrl(schema);
    }
    int i = 0;
    for (JsonNode ss : array(n, "scopeSpans", "scope_spans", path + ".scopeSpans")) {
      b.addScopeSpans(scopeSpans(ss, path + ".scopeSpans[" + i++ + "]"));
    }
    return b.build();
  }

  private static ScopeSpans scopeSpans(JsonNode n, String path) {
    requireObject(n, path);
    var b = ScopeSpans.newBuilder();
    JsonNode scope = n.get("scope");
    if (scope != null && !scope.isNull()) {
      requireObject(scope, path + ".scope");
      var s = InstrumentationScope.newBuilder();
      String name = text(scope, "name", "name");
      String version = text(scope, "version", "version");
      s.setName(name == null ? "" : name).setVersion(version == null ? "" : version)
          .addAllAttributes(keyValues(scope, path + ".scope.attributes"));
      b.setScope(s);
    }
    int i = 0;
    for (JsonNode span : array(n, "spans", "spans", path + ".spans")) {
      b.addSpans(span(span, path + ".spans[" + i++ + "]"));
    }
    return b.build();
  }

  private static Span span(JsonNode n, String path) {
    requireObject(n, path);
    var b = Span.newBuilder()
        .setTraceId(id(n, "traceId", "trace_id", path))
        .setSpanId(id(n, "spanId", "span_id", path))
        .setParentSpanId(id(n, "parentSpanId", "parent_span_id", path))
        .setStartTimeUnixNano(uint64(n, "startTimeUnixNano", "start_time_unix_nano", path))
        .setEndTimeUnixNano(uint64(n, "endTimeUnixNano", "end_time_unix_nano", path))
        .addAllAttributes(keyValues(n, path + ".attributes"));
    String name = text(n, "name", "name");
    b.setName(name == null ? "" : name);
    String traceState = text(n, "traceState", "trace_state");
    if (traceState != null) {
      b.setTraceState(traceState);
    }
    b.setKindValue(enumValue(n, "kind", "kind", "SPAN_KIND_", Span.SpanKind.class, path));
    JsonNode status = n.get("status");
    if (status != null && !status.isNull()) {
      requireObject(status, path + ".status");
      String message = text(status, "message", "message");
      b.setStatus(Status.newBuilder().setMessage(message == null ? "" : message)
          .setCodeValue(enumValue(status, "code", "code", "STATUS_CODE_",
              Status.StatusCode.class, path + ".status")));
    }
    int i = 0;
    for (JsonNode e : array(n, "events", "events", path + ".events")) {
      String ep = path + ".events[" + i++ + "]";
      requireObject(e, ep);
      String en = text(e, "name", "name");
      b.addEvents(Span.Event.newBuilder().setName(en == null ? "" : en)
          .setTimeUnixNano(uint64(e, "timeUnixNano", "time_unix_nano", ep))
          .addAllAttributes(keyValues(e, ep + ".attributes")));
    }
    return b.build();
  }

  private static Iterable<KeyValue> keyValues(JsonNode owner, String path) {
    var out = new java.util.ArrayList<KeyValue>();
    int i = 0;
    for (JsonNode kv : array(owner, "attributes", "attributes", path)) {
      String p = path + "[" + i++ + "]";
      requireObject(kv, p);
      String key = text(kv, "key", "key");
      if (key == null) {
        throw new IllegalArgumentException(p + ": attribute has no key");
      }
      out.add(KeyValue.newBuilder().setKey(key).setValue(anyValue(kv.get("value"), p)).build());
    }
    return out;
  }

  private static AnyValue anyValue(JsonNode v, String path) {
    var b = AnyValue.newBuilder();
    if (v == null || v.isNull() || v.isEmpty()) {
      return b.build();
    }
    requireObject(v, path + ".value");
    if (v.has("stringValue") || v.has("string_value")) {
      return b.setStringValue(text(v, "stringValue", "string_value")).build();
    }
    if (v.has("boolValue") || v.has("bool_value")) {
      JsonNode x = field(v, "boolValue", "bool_value");
      return b.setBoolValue(x.isBoolean() ? x.booleanValue() : "true".equals(x.asText()))
          .build();
    }
    if (v.has("intValue") || v.has("int_value")) {
      return b.setIntValue(int64(field(v, "intValue", "int_value"), path + ".intValue")).build();
    }
    if (v.has("doubleValue") || v.has("double_value")) {
      return b.setDoubleValue(field(v, "doubleValue", "double_value").asDouble()).build();
    }
    if (v.has("bytesValue") || v.has("bytes_value")) {
      return b.setBytesValue(ByteString.copyFrom(Base64.getDecoder().decode(
          text(v, "bytesValue", "bytes_value")))).build();
    }
    if (v.has("arrayValue") || v.has("array_value")) {
      var a = ArrayValue.newBuilder();
      JsonNode values = field(v, "arrayValue", "array_value").get("values");
      if (values != null && values.isArray()) {
        values.forEach(x -> a.addValues(anyValue(x, path + ".arrayValue")));
      }
      return b.setArrayValue(a).build();
    }
    if (v.has("kvlistValue") || v.has("kvlist_value")) {
      var l = KeyValueList.newBuilder();
      JsonNode kvl = field(v, "kvlistValue", "kvlist_value");
      l.addAllValues(keyValues(renamed(kvl), path + ".kvlistValue.values"));
      return b.setKvlistValue(l).build();
    }
    return b.build();
  }

  // A kvlist holds its pairs under "values"; keyValues reads "attributes".
  private static JsonNode renamed(JsonNode kvl) {
    var o = Attributes.JSON.createObjectNode();
    if (kvl != null && kvl.has("values")) {
      o.set("attributes", kvl.get("values"));
    }
    return o;
  }

  private static ByteString id(JsonNode n, String camel, String snake, String path) {
    JsonNode v = field(n, camel, snake);
    if (v == null || v.isNull()) {
      return ByteString.EMPTY;
    }
    if (v.isObject() && v.get("data") != null && v.get("data").isArray()) {
      byte[] bytes = new byte[v.get("data").size()];
      for (int i = 0; i < bytes.length; i++) {
        bytes[i] = (byte) v.get("data").get(i).asInt();
      }
      return ByteString.copyFrom(bytes);
    }
    if (!v.isTextual()) {
      throw new IllegalArgumentException(path + "." + camel + " must be a hex string, got "
          + v.getNodeType().name().toLowerCase());
    }
    try {
      return ByteString.copyFrom(HEX.parseHex(v.asText()));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(path + "." + camel + " is not hex: '"
          + clip(v.asText()) + "'");
    }
  }

  private static long uint64(JsonNode n, String camel, String snake, String path) {
    JsonNode v = field(n, camel, snake);
    return v == null || v.isNull() ? 0 : int64(v, path + "." + camel);
  }

  private static long int64(JsonNode v, String path) {
    if (v.isIntegralNumber()) {
      return v.longValue();
    }
    if (v.isTextual()) {
      try {
        return Long.parseUnsignedLong(v.asText().strip());
      } catch (NumberFormatException e) {
        try {
          return Long.parseLong(v.asText().strip());
        } catch (NumberFormatException e2) {
          throw new IllegalArgumentException(path + " is not an integer: '"
              + clip(v.asText()) + "'");
        }
      }
    }
    if (v.isNumber()) {
      return (long) v.doubleValue();
    }
    throw new IllegalArgumentException(path + " is not an integer");
  }

  private static <E extends Enum<E> & com.google.protobuf.ProtocolMessageEnum> int enumValue(
      JsonNode n, String camel, String snake, String prefix, Class<E> type, String path) {
    JsonNode v = field(n, camel, snake);
    if (v == null || v.isNull()) {
      return 0;
    }
    if (v.isIntegralNumber()) {
      return v.intValue();
    }
    String name = v.asText();
    for (E e : type.getEnumConstants()) {
      if (e.name().equals(name) || e.name().equals(prefix + name)) {
        return e.getNumber();
      }
    }
    throw new IllegalArgumentException(path + "." + camel + " has an unknown value: '"
        + clip(name) + "'");
  }

  private static Iterable<JsonNode> array(JsonNode n, String camel, String snake, String path) {
    JsonNode v = field(n, camel, snake);
    if (v == null || v.isNull()) {
      return java.util.List.of();
    }
    if (!v.isArray()) {
      throw new IllegalArgumentException(path + " must be an array, got "
          + v.getNodeType().name().toLowerCase());
    }
    return v;
  }

  private static JsonNode field(JsonNode n, String camel, String snake) {
    JsonNode v = n.get(camel);
    return v != null ? v : n.get(snake);
  }

  private static String text(JsonNode n, String camel, String snake) {
    JsonNode v = field(n, camel, snake);
    return v == null || v.isNull() ? null : v.asText();
  }

  private static void requireObject(JsonNode n, String path) {
    if (!n.isObject()) {
      throw new IllegalArgumentException(path + " must be an object, got "
          + n.getNodeType().name().toLowerCase());
    }
  }

  private static String clip(String s) {
    return s.length() > 80 ? s.substring(0, 80) + "..." : s;
  }
}
