package dev.keel.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Builds a minimal valid instance of a JSON Schema, or one that surely violates it.
 *
 * <p>Covers what structured-output and tool schemas use: object, array, string, number,
 * integer, boolean, null, enum, const, anyOf/oneOf/allOf (first branch), local {@code $ref}s
 * into {@code $defs} or {@code definitions}, minItems, minLength and numeric minimums. An
 * object gets its required properties, or all of them when none are marked required, so tool
 * arguments look filled in.
 */
final class SchemaInstances {

  private static final JsonNodeFactory F = JsonNodeFactory.instance;
  private static final int MAX_DEPTH = 32;

  private SchemaInstances() {}

  static JsonNode minimal(JsonNode schema) {
    return build(schema, schema, 0);
  }

  /**
   * JSON that parses but does not validate: each property of an object schema gets a value of
   * the wrong type; any other schema gets a value of another type than the one it asks for.
   */
  static JsonNode invalid(JsonNode schema) {
    JsonNode s = resolve(schema, schema);
    if (!"object".equals(typeOf(s)) || !s.path("properties").isObject()
        || s.path("properties").isEmpty()) {
      return wrongType(typeOf(s));
    }
    ObjectNode out = F.objectNode();
    s.path("properties").fields().forEachRemaining(e ->
        out.set(e.getKey(), wrongType(typeOf(resolve(schema, e.getValue())))));
    return out;
  }

  private static JsonNode wrongType(String type) {
    return switch (type == null ? "" : type) {
      case "string" -> F.numberNode(42);
      case "number", "integer", "array" -> F.textNode("not a " + type);
      case "boolean" -> F.textNode("not a boolean");
      case "null" -> F.numberNode(0);
      default -> F.textNode("not an object");
    };
  }

  private static JsonNode build(JsonNode root, JsonNode schema, int depth) {
    JsonNode s = resolve(root, schema);
    if (depth > MAX_DEPTH || s == null || !s.isObject()) {
      return F.nullNode();
    }
    if (s.has("const")) {
      return s.get("const");
    }
    if (s.path("enum").isArray() && !s.path("enum").isEmpty()) {
      return s.get("enum").get(0);
    }
    for (String combinator : new String[] {"anyOf", "oneOf", "allOf"}) {
      if (s.path(combinator).isArray() && !s.path(combinator).isEmpty()) {
        return build(root, s.get(combinator).get(0), depth + 1);
      }
    }
    return byType(root, s, typeOf(s), depth);
  }

  private static JsonNode byType(JsonNode root, JsonNode s, String type, int depth) {
    return switch (type == null ? "object" : type) {
      case "string" -> F.textNode(string(s));
      case "integer" -> F.numberNode((long) Math.ceil(minimum(s)));
      case "number" -> F.numberNode(minimum(s));
      case "boolean" -> F.booleanNode(false);
      case "null" -> F.nullNode();
      case "array" -> array(root, s, depth);
      default -> object(root, s, depth);
    };
  }

  private static ObjectNode object(JsonNode root, JsonNode s, int depth) {
    ObjectNode out = F.objectNode();
    JsonNode props = s.path("properties");
    JsonNode required = s.path("required");
    if (required.isArray() && !required.isEmpty()) {
      for (JsonNode name : required) {
        out.set(name.asText(), build(root, props.path(name.asText()), depth + 1));
      }
    } else {
      props.fields().forEachRemaining(e ->
          out.set(e.getKey(), build(root, e.getValue(), depth + 1)));
    }
    return out;
  }

  private static ArrayNode array(JsonNode root, JsonNode s, int depth) {
    ArrayNode out = F.arrayNode();
    int min = s.path("minItems").asInt(0);
    for (int i = 0; i < min; i++) {
      out.add(build(root, s.path("items"), depth + 1));
    }
    return out;
  }

  private static String string(JsonNode s) {
    String base = switch (s.path("format").asText("")) {
      case "date" -> "2025-01-01";
      case "date-time" -> "2025-01-01T00:00:00Z";
      case "time" -> "00:00:00";
      case "email" -> "user@example.com";
      case "uri", "url" -> "https://example.com";
      case "uuid" -> "00000000-0000-4000-8000-000000000000";
      default -> "text";
    };
    int min = s.path("minLength").asInt(0);
    StringBuilder out = new StringBuilder(base);
    while (out.length() < min) {
      out.append('x');
    }
    return out.toString();
  }

  private static double minimum(JsonNode s) {
    if (s.has("minimum")) {
      return s.get("minimum").asDouble();
    }
    if (s.has("exclusiveMinimum")) {
      return s.get("exclusiveMinimum").asDouble() + 1;
    }
    return 0;
  }

  private static String typeOf(JsonNode s) {
    if (s == null) {
      return null;
    }
    JsonNode type = s.get("type");
    if (type == null) {
      return s.has("properties") ? "object" : s.has("items") ? "array" : null;
    }
    if (type.isArray()) {
      for (JsonNode t : type) {
        if (!"null".equals(t.asText())) {
          return t.asText();
        }
      }
      return "null";
    }
    return type.asText();
  }

  /** Follows local {@code $ref}s ("#/$defs/x", "#/definitions/x"); unknown refs give null. */
  private static JsonNode resolve(JsonNode root, JsonNode schema) {
    JsonNode s = schema;
    for (int hops = 0; s != null && s.has("$ref") && hops < MAX_DEPTH; hops++) {
      String ref = s.get("$ref").asText();
      s = ref.startsWith("#") ? root.at(ref.substring(1)) : null;
      if (s != null && s.isMissingNode()) {
        s = null;
      }
    }
    return s;
  }
}
