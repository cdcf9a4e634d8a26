package dev.keel.providers;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The module's one ObjectMapper and small node helpers shared by the translators. */
final class Json {

  static final ObjectMapper MAPPER = new ObjectMapper();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private Json() {
  }

  static ObjectNode object() {
    return NODES.objectNode();
  }

  static ArrayNode array() {
    return NODES.arrayNode();
  }

  /** Parses a JSON object sent by an upstream; anything else is a malformed response. */
  static ObjectNode parseUpstreamObject(String text) {
    try {
      JsonNode n = MAPPER.readTree(text);
      if (n instanceof ObjectNode o) {
        return o;
      }
    } catch (JsonProcessingException e) {
      throw UpstreamException.malformed("upstream sent invalid JSON: " + e.getOriginalMessage());
    }
    throw UpstreamException.malformed("upstream sent JSON that is not an object");
  }

  static String write(JsonNode n) {
    try {
      return MAPPER.writeValueAsString(n);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree could not be written", e);
    }
  }

  /** The text of a field, or null when absent, null or not text. */
  static String text(JsonNode n, String field) {
    JsonNode v = n == null ? null : n.get(field);
    return v != null && v.isTextual() ? v.asText() : null;
  }

  static String textOrEmpty(JsonNode n, String field) {
    String t = text(n, field);
    return t == null ? "" : t;
  }

  static long count(JsonNode n, String field) {
    JsonNode v = n == null ? null : n.get(field);
    return v != null && v.canConvertToLong() ? v.asLong() : 0;
  }

  static boolean present(JsonNode n) {
    return n != null && !n.isNull() && !n.isMissingNode();
  }
}
