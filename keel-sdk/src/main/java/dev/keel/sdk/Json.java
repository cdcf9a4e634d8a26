package dev.keel.sdk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** JSON conversion that never throws into the application. */
final class Json {

  static final ObjectMapper MAPPER = new ObjectMapper()
      .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);
  static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private Json() {
  }

  static ObjectNode object() {
    return NODES.objectNode();
  }

  /**
   * Any application value as a JSON tree. A value Jackson cannot convert (a cycle, a failing
   * getter) is recorded by its {@code toString} rather than lost or thrown.
   */
  static JsonNode toNode(Object value) {
    if (value == null) {
      return NODES.nullNode();
    }
    if (value instanceof JsonNode node) {
      return node;
    }
    if (value instanceof CharSequence text) {
      return TextNode.valueOf(text.toString());
    }
    try {
      return MAPPER.valueToTree(value);
    } catch (RuntimeException | StackOverflowError e) {
      return TextNode.valueOf(safeString(value));
    }
  }

  static String safeString(Object value) {
    try {
      return String.valueOf(value);
    } catch (RuntimeException e) {
      return "<unprintable " + value.getClass().getName() + ">";
    }
  }

  /** ISO-8601 in UTC with a {@code Z}; Langfuse rejects datetimes without an offset. */
  static String time(Instant instant) {
    return instant.truncatedTo(ChronoUnit.MICROS).toString();
  }
}
