package dev.keel.tracing.otel;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import java.io.IOException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The attributes of a span, resource or scope as JSON values, keyed by attribute name. Langfuse
 * SDKs send structured values as JSON strings; {@link #json} reads those back.
 */
final class Attributes {

  static final ObjectMapper JSON = new ObjectMapper()
      .enable(com.fasterxml.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  static final Attributes EMPTY = new Attributes(Map.of());

  private final Map<String, JsonNode> values;

  private Attributes(Map<String, JsonNode> values) {
    this.values = values;
  }

  static Attributes of(List<KeyValue> kvs) {
    var m = new LinkedHashMap<String, JsonNode>();
    for (KeyValue kv : kvs) {
      m.put(kv.getKey(), value(kv.getValue()));
    }
    return new Attributes(m);
  }

  Map<String, JsonNode> asMap() {
    return values;
  }

  boolean has(String key) {
    return values.containsKey(key);
  }

  /** The raw value, or null. */
  JsonNode get(String key) {
    return values.get(key);
  }

  /** The value as text (a number or boolean rendered), or null when absent or empty. */
  String text(String key) {
    JsonNode v = values.get(key);
    if (v == null || v.isNull()) {
      return null;
    }
    String s = v.isValueNode() ? v.asText() : v.toString();
    return s.isEmpty() ? null : s;
  }

  /** The first of {@code keys} that has a text value. */
  String firstText(String... keys) {
    for (String k : keys) {
      String s = text(k);
      if (s != null) {
        return s;
      }
    }
    return null;
  }

  /**
   * The value as JSON: a string holding JSON is parsed, any other string is kept as a JSON
   * string, structured values are taken as they are. Null when absent.
   */
  JsonNode json(String key) {
    JsonNode v = values.get(key);
    if (v == null || v.isNull()) {
      return null;
    }
    return v.isTextual() ? parseLenient(v.asText()) : v;
  }

  /** Entries whose key starts with {@code prefix}, with the prefix removed. */
  Map<String, JsonNode> withPrefix(String prefix) {
    var m = new LinkedHashMap<String, JsonNode>();
    values.forEach((k, v) -> {
      if (k.startsWith(prefix) && k.length() > prefix.length()) {
        m.put(k.substring(prefix.length()), v);
      }
    });
    return m;
  }

  /** Parses JSON text; text that is not JSON becomes a JSON string. */
  static JsonNode parseLenient(String s) {
    String t = s.strip();
    if (t.startsWith("{") || t.startsWith("[") || t.startsWith("\"")) {
      try {
        JsonNode n = JSON.readTree(t);
        if (n != null) {
          return n;
        }
      } catch (IOException e) {
        // Not JSON after all: kept as the text it is.
      }
    }
    return NODES.textNode(s);
  }

  private static JsonNode value(AnyValue v) {
    return switch (v.getValueCase()) {
      case STRING_VALUE -> NODES.textNode(v.getStringValue());
      case BOOL_VALUE -> NODES.booleanNode(v.getBoolValue());
      case INT_VALUE -> NODES.numberNode(v.getIntValue());
      case DOUBLE_VALUE -> NODES.numberNode(v.getDoubleValue());
      case BYTES_VALUE -> NODES.textNode(
          Base64.getEncoder().encodeToString(v.getBytesValue().toByteArray()));
      case ARRAY_VALUE -> {
        ArrayNode a = NODES.arrayNode();
        v.getArrayValue().getValuesList().forEach(x -> a.add(value(x)));
        yield a;
      }
      case KVLIST_VALUE -> {
        ObjectNode o = NODES.objectNode();
        v.getKvlistValue().getValuesList().forEach(kv -> o.set(kv.getKey(), value(kv.getValue())));
        yield o;
      }
      default -> NODES.nullNode();
    };
  }
}
