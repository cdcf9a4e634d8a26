package dev.keel.eval.score;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;

/** Typed reads of a scorer's options from the evaluation file, with errors naming the key. */
public record Options(String scorer, Map<String, Object> values) {

  static final ObjectMapper MAPPER = new ObjectMapper();

  public Options {
    values = values == null ? Map.of() : Map.copyOf(values);
  }

  public boolean has(String key) {
    return values.get(key) != null;
  }

  public String string(String key, String fallback) {
    Object v = values.get(key);
    return v == null ? fallback : v.toString();
  }

  public double number(String key, double fallback) {
    Object v = values.get(key);
    if (v == null) {
      return fallback;
    }
    if (v instanceof Number n) {
      return n.doubleValue();
    }
    try {
      return Double.parseDouble(v.toString().trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(scorer + "." + key + " must be a number: " + v);
    }
  }

  public boolean flag(String key, boolean fallback) {
    Object v = values.get(key);
    if (v == null) {
      return fallback;
    }
    if (v instanceof Boolean b) {
      return b;
    }
    String s = v.toString().trim().toLowerCase(java.util.Locale.ROOT);
    if (!s.equals("true") && !s.equals("false")) {
      throw new IllegalArgumentException(scorer + "." + key + " must be true or false: " + v);
    }
    return Boolean.parseBoolean(s);
  }

  /** The option as JSON: a map or list from YAML, or a string holding JSON. */
  public JsonNode json(String key) {
    Object v = values.get(key);
    if (v == null) {
      return null;
    }
    if (v instanceof String s) {
      try {
        return MAPPER.readTree(s);
      } catch (java.io.IOException e) {
        throw new IllegalArgumentException(scorer + "." + key + " is not valid JSON: "
            + e.getMessage().split("\n")[0]);
      }
    }
    return MAPPER.valueToTree(v);
  }

  public String require(String key) {
    String s = string(key, null);
    if (s == null || s.isEmpty()) {
      throw new IllegalArgumentException("scorer " + scorer + " needs option '" + key + "'");
    }
    return s;
  }
}
