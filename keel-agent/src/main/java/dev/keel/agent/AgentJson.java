package dev.keel.agent;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;

/** The one Jackson mapper of the agent runtime: exact decimals, Optional support. */
final class AgentJson {

  static final ObjectMapper MAPPER = new ObjectMapper().registerModule(new Jdk8Module())
      .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
      .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

  private AgentJson() {}

  /** A value as text for the model: strings as they are, anything else as JSON. */
  static String text(Object value) {
    if (value == null) {
      return "null";
    }
    if (value instanceof String s) {
      return s;
    }
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      return String.valueOf(value);
    }
  }

  static JsonNode tree(Object value) {
    return MAPPER.valueToTree(value);
  }

  /** Parses JSON text, or returns null when it is not JSON. */
  static JsonNode parseOrNull(String text) {
    if (text == null) {
      return null;
    }
    try {
      return MAPPER.readTree(text);
    } catch (JsonProcessingException e) {
      return null;
    }
  }

  /** Cuts text to about 1 KB for errors and reasons. */
  static String truncate(String s) {
    return s == null || s.length() <= 1000 ? s : s.substring(0, 1000) + "...";
  }
}
