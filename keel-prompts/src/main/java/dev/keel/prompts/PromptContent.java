package dev.keel.prompts;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.TreeMap;

/**
 * The content of a version (type, template, config) in canonical form, and its hash. The hash
 * is what {@code keel prompt sync} compares, so the same content hashes the same whether it
 * came from a file, the API or the registry: config keys are sorted and JSON is compact.
 */
public final class PromptContent {

  static final ObjectMapper JSON = new ObjectMapper();

  private PromptContent() {
  }

  /** {@code sha256:} and the hex SHA-256 of type, template and canonical config. */
  public static String hash(String type, String text, List<ChatMessage> messages,
      String configJson) {
    ObjectNode all = JSON.createObjectNode();
    all.put("type", type);
    if ("chat".equals(type)) {
      all.set("messages", messagesNode(messages));
    } else {
      all.put("text", text);
    }
    all.set("config", canonical(parseConfig(configJson)));
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256")
          .digest(all.toString().getBytes(StandardCharsets.UTF_8));
      return "sha256:" + HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  /** The config as compact JSON with sorted keys; {@code {}} for null or blank. */
  public static String canonicalConfig(String configJson) {
    return canonical(parseConfig(configJson)).toString();
  }

  /** Parses a config: a JSON object, or null or blank for none. 400 otherwise. */
  static ObjectNode parseConfig(String configJson) {
    if (configJson == null || configJson.isBlank()) {
      return JSON.createObjectNode();
    }
    JsonNode node;
    try {
      node = JSON.readTree(configJson);
    } catch (JsonProcessingException e) {
      throw PromptException.invalid("config is not valid JSON: " + e.getOriginalMessage(),
          "config");
    }
    if (node == null || node.isNull()) {
      return JSON.createObjectNode();
    }
    if (!(node instanceof ObjectNode o)) {
      throw PromptException.invalid("config must be a JSON object, got "
          + node.getNodeType().name().toLowerCase(), "config");
    }
    return o;
  }

  /** Chat messages as the JSON array stored and served: {@code [{role, content}]}. */
  static ArrayNode messagesNode(List<ChatMessage> messages) {
    ArrayNode out = JSON.createArrayNode();
    for (ChatMessage m : messages) {
      out.addObject().put("role", m.role()).put("content", m.content());
    }
    return out;
  }

  static String messagesJson(List<ChatMessage> messages) {
    return messagesNode(messages).toString();
  }

  static List<ChatMessage> readMessages(String json) {
    try {
      var out = new ArrayList<ChatMessage>();
      for (JsonNode m : JSON.readTree(json)) {
        out.add(new ChatMessage(m.path("role").asText(), m.path("content").asText()));
      }
      return out;
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("stored chat prompt is malformed JSON", e);
    }
  }

  static JsonNode canonical(JsonNode node) {
    if (node instanceof ObjectNode o) {
      var sorted = new TreeMap<String, JsonNode>();
      o.properties().forEach(e -> sorted.put(e.getKey(), canonical(e.getValue())));
      ObjectNode out = JSON.createObjectNode();
      sorted.forEach(out::set);
      return out;
    }
    if (node instanceof ArrayNode a) {
      ArrayNode out = JSON.createArrayNode();
      a.forEach(e -> out.add(canonical(e)));
      return out;
    }
    return node;
  }
}
