package dev.keel.providers;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Parses JSON written in tests. */
final class TestJson {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private TestJson() {
  }

  static ObjectNode obj(String json) {
    try {
      return (ObjectNode) MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("bad test JSON: " + json, e);
    }
  }
}
