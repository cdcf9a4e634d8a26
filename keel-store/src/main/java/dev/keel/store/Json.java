package dev.keel.store;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** JSON text of the columns that hold tags, usage details and cost details. */
final class Json {

  // Plain decimals keep cost details exact and readable ("0.0000025", not "2.5E-6").
  private static final ObjectMapper MAPPER = new ObjectMapper()
      .enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN)
      .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

  private Json() {
  }

  static String writeTags(List<String> tags) {
    return write(tags);
  }

  static List<String> readTags(String json) {
    return json == null ? List.of() : read(json, new TypeReference<List<String>>() { });
  }

  static String writeLongs(Map<String, Long> m) {
    return write(m);
  }

  static Map<String, Long> readLongs(String json) {
    return read(json, new TypeReference<LinkedHashMap<String, Long>>() { });
  }

  static String writeDecimals(Map<String, BigDecimal> m) {
    return write(m);
  }

  static Map<String, BigDecimal> readDecimals(String json) {
    return read(json, new TypeReference<LinkedHashMap<String, BigDecimal>>() { });
  }

  // No \u0000 escapes: PostgreSQL's jsonb refuses them (see NulFree).
  private static String write(Object value) {
    try {
      return NulFree.json(MAPPER.writeValueAsString(value));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write JSON of " + value.getClass(), e);
    }
  }

  private static <T> T read(String json, TypeReference<T> type) {
    try {
      return MAPPER.readValue(json, type);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("stored JSON is malformed: " + e.getOriginalMessage(), e);
    }
  }
}
