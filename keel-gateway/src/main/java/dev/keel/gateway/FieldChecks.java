package dev.keel.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keel.core.error.ErrorCode;
import dev.keel.core.error.KeelException;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Type and range checks on one field of a JSON request. Each failure is a 400 whose message
 * names the field by its path ({@code messages[2].content}) and shows the value it got, and
 * whose {@code param} is that path. An explicit null counts as absent for optional fields, as it
 * does for the OpenAI API.
 */
final class FieldChecks {

  private static final int SHOWN_CHARS = 80;

  private FieldChecks() {}

  static boolean present(JsonNode v) {
    return v != null && !v.isNull() && !v.isMissingNode();
  }

  /** {@code parent.field}, or {@code field} at the top level. */
  static String path(String parent, String field) {
    return parent.isEmpty() ? field : parent + "." + field;
  }

  static KeelException invalid(String path, String rule, JsonNode got) {
    return new KeelException(ErrorCode.INVALID_REQUEST,
        path + " must be " + rule + ", got: " + show(got), path, null);
  }

  static KeelException missing(String path, String why) {
    return rejected(path, path + " is required" + why);
  }

  static KeelException rejected(String path, String message) {
    return new KeelException(ErrorCode.INVALID_REQUEST, message, path, null);
  }

  /** The value as JSON, cut to about 80 characters: errors must not echo whole prompts. */
  static String show(JsonNode n) {
    String s = n == null ? "nothing" : n.toString();
    return s.length() > SHOWN_CHARS ? s.substring(0, SHOWN_CHARS) + "..." : s;
  }

  static JsonNode required(JsonNode obj, String parent, String field) {
    JsonNode v = obj.get(field);
    if (!present(v)) {
      throw missing(path(parent, field), "");
    }
    return v;
  }

  static void string(JsonNode obj, String parent, String field) {
    JsonNode v = obj.get(field);
    if (present(v) && !v.isTextual()) {
      throw invalid(path(parent, field), "a string", v);
    }
  }

  static String requiredString(JsonNode obj, String parent, String field) {
    JsonNode v = required(obj, parent, field);
    if (!v.isTextual()) {
      throw invalid(path(parent, field), "a string", v);
    }
    return v.asText();
  }

  static void bool(JsonNode obj, String parent, String field) {
    JsonNode v = obj.get(field);
    if (present(v) && !v.isBoolean()) {
      throw invalid(path(parent, field), "a boolean", v);
    }
  }

  static void object(JsonNode obj, String parent, String field) {
    JsonNode v = obj.get(field);
    if (present(v) && !v.isObject()) {
      throw invalid(path(parent, field), "an object", v);
    }
  }

  static JsonNode requiredObject(JsonNode obj, String parent, String field) {
    JsonNode v = required(obj, parent, field);
    if (!v.isObject()) {
      throw invalid(path(parent, field), "an object", v);
    }
    return v;
  }

  /** A number in {@code [min, max]}. */
  static void number(JsonNode obj, String field, int min, int max) {
    JsonNode v = obj.get(field);
    if (present(v) && (!v.isNumber() || v.asDouble() < min || v.asDouble() > max)) {
      throw invalid(field, "a number between " + min + " and " + max, v);
    }
  }

  /** A whole number in {@code [min, max]}; {@code rule} says so in the error. */
  static void integer(JsonNode obj, String parent, String field, long min, long max,
      String rule) {
    JsonNode v = obj.get(field);
    if (present(v) && !isInteger(v, min, max)) {
      throw invalid(path(parent, field), rule, v);
    }
  }

  static void positiveInt(JsonNode obj, String field) {
    integer(obj, "", field, 1, Integer.MAX_VALUE, "a positive integer");
  }

  /** The field's text, which must be one of {@code allowed} when present. */
  static String oneOf(JsonNode obj, String parent, String field, List<String> allowed) {
    JsonNode v = obj.get(field);
    if (!present(v)) {
      return null;
    }
    if (!v.isTextual() || !allowed.contains(v.asText())) {
      throw invalid(path(parent, field), "one of " + quoted(allowed), v);
    }
    return v.asText();
  }

  static String quoted(List<String> values) {
    return values.stream().map(s -> "\"" + s + "\"").collect(Collectors.joining(", "));
  }

  /** An optional array whose elements must all be strings; at most {@code max} of them. */
  static void strings(JsonNode obj, String field, int max) {
    JsonNode v = obj.get(field);
    if (!present(v)) {
      return;
    }
    if (!v.isArray() || v.size() > max) {
      throw invalid(field, "an array of " + (max == Integer.MAX_VALUE ? "" : "up to " + max + " ")
          + "strings", v);
    }
    for (int i = 0; i < v.size(); i++) {
      if (!v.get(i).isTextual()) {
        throw invalid(field + "[" + i + "]", "a string", v.get(i));
      }
    }
  }

  private static boolean isInteger(JsonNode v, long min, long max) {
    return v.isIntegralNumber() && v.canConvertToLong() && v.asLong() >= min
        && v.asLong() <= max;
  }
}
