package dev.keel.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Map;

/** Deep merge of JSON text, the rule Langfuse applies to metadata. */
final class JsonMerge {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private JsonMerge() {
  }

  /**
   * {@code next} merged onto {@code base}: objects merge key by key, recursively; anything else
   * in {@code next} replaces. Null or an empty object in {@code next} keeps {@code base}.
   */
  static String merge(String base, String next) {
    if (next == null || base == null || next.equals(base)) {
      return next == null ? base : next;
    }
    JsonNode b = parse(base);
    JsonNode n = parse(next);
    if (n != null && n.isObject() && n.isEmpty()) {
      return base;
    }
    if (b == null || n == null || !b.isObject() || !n.isObject()) {
      return next;
    }
    return mergeInto((ObjectNode) b, (ObjectNode) n).toString();
  }

  private static ObjectNode mergeInto(ObjectNode base, ObjectNode next) {
    Iterator<Map.Entry<String, JsonNode>> it = next.fields();
    while (it.hasNext()) {
      var e = it.next();
      JsonNode old = base.get(e.getKey());
      if (old != null && old.isObject() && e.getValue().isObject()) {
        mergeInto((ObjectNode) old, (ObjectNode) e.getValue());
      } else {
        base.set(e.getKey(), e.getValue());
      }
    }
    return base;
  }

  // Text that is not JSON (a plain string some SDKs send) is not merged, only replaced.
  private static JsonNode parse(String text) {
    try {
      return MAPPER.readTree(text);
    } catch (JsonProcessingException e) {
      return null;
    }
  }
}
