package dev.keel.agent;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Map;

/**
 * Checks a model's tool arguments against the tool's schema before binding them, so a wrong
 * type, a missing required argument or an unknown one is reported to the model by name (models
 * correct themselves from such messages) instead of surfacing as a Jackson stack trace.
 */
final class ArgumentCheck {

  private ArgumentCheck() {}

  /** Throws {@link ToolArgumentException} naming the first problem found. */
  static void check(JsonNode schema, JsonNode value) {
    check(schema, value, "");
  }

  private static void check(JsonNode schema, JsonNode value, String path) {
    String type = schema.path("type").asText("");
    switch (type) {
      case "object" -> object(schema, value, path);
      case "array" -> array(schema, value, path);
      case "string" -> string(schema, value, path);
      case "integer" -> expect(value.isIntegralNumber()
          || value.isNumber() && value.decimalValue().stripTrailingZeros().scale() <= 0,
          "an integer", value, path);
      case "number" -> expect(value.isNumber(), "a number", value, path);
      case "boolean" -> expect(value.isBoolean(), "true or false", value, path);
      default -> { } // no type: any JSON value is accepted
    }
  }

  private static void object(JsonNode schema, JsonNode value, String path) {
    expect(value.isObject(), "an object", value, path);
    for (JsonNode required : schema.path("required")) {
      JsonNode v = value.get(required.asText());
      if (v == null || v.isNull()) {
        throw new ToolArgumentException("missing required argument " + join(path,
            required.asText()));
      }
    }
    JsonNode properties = schema.path("properties");
    JsonNode additional = schema.get("additionalProperties");
    for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String where = join(path, e.getKey());
      if (e.getValue().isNull()) {
        continue;
      }
      if (properties.has(e.getKey())) {
        check(properties.get(e.getKey()), e.getValue(), where);
      } else if (additional != null && additional.isObject()) {
        check(additional, e.getValue(), where);
      } else if (additional != null && additional.isBoolean() && !additional.asBoolean()) {
        throw new ToolArgumentException("unknown argument " + where + "; expected one of "
            + names(properties));
      }
    }
  }

  private static void array(JsonNode schema, JsonNode value, String path) {
    expect(value.isArray(), "an array", value, path);
    JsonNode items = schema.path("items");
    for (int i = 0; i < value.size(); i++) {
      check(items, value.get(i), path + "[" + i + "]");
    }
  }

  private static void string(JsonNode schema, JsonNode value, String path) {
    expect(value.isTextual(), "a string", value, path);
    JsonNode allowed = schema.get("enum");
    if (allowed == null) {
      return;
    }
    for (JsonNode a : allowed) {
      if (a.asText().equals(value.asText())) {
        return;
      }
    }
    throw new ToolArgumentException("argument " + path + " must be one of " + allowed + ": "
        + value);
  }

  private static void expect(boolean ok, String what, JsonNode value, String path) {
    if (!ok) {
      String name = path.isEmpty() ? "arguments" : "argument " + path;
      throw new ToolArgumentException(name + " must be " + what + ": "
          + AgentJson.truncate(value.toString()));
    }
  }

  private static String join(String path, String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  private static String names(JsonNode properties) {
    StringBuilder b = new StringBuilder("[");
    properties.fieldNames().forEachRemaining(n -> b.append(b.length() > 1 ? ", " : "").append(n));
    return b.append(']').toString();
  }
}
