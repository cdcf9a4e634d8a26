package dev.keel.eval.dataset;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keel.eval.EvalItem;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.TreeMap;

/**
 * Content hashes of dataset items: SHA-256 of the item's input, expected output, contexts and
 * metadata as JSON with object keys sorted, so that key order in a file changes nothing.
 */
public final class ItemHash {

  private static final ObjectMapper JSON = new ObjectMapper();

  private ItemHash() {
  }

  /** The item's content hash in hex; the id is not part of it. */
  public static String of(EvalItem item) {
    ObjectNode n = JSON.createObjectNode();
    n.set("input", canonical(item.input()));
    n.set("expected_output", canonical(item.expectedOutput()));
    ArrayNode contexts = n.putArray("contexts");
    item.contexts().forEach(contexts::add);
    n.set("metadata", canonical(item.metadata()));
    return sha256(n.toString());
  }

  /** The id of an item whose file gave none: {@code h-} and 16 hex digits of its hash. */
  public static String derivedId(EvalItem item) {
    return "h-" + of(item).substring(0, 16);
  }

  /** SHA-256 of {@code text} as UTF-8, in hex. */
  public static String sha256(String text) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(md.digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JDK", e);
    }
  }

  private static JsonNode canonical(JsonNode n) {
    if (n == null) {
      return null;
    }
    if (n.isObject()) {
      var sorted = new TreeMap<String, JsonNode>();
      n.properties().forEach(e -> sorted.put(e.getKey(), canonical(e.getValue())));
      ObjectNode out = JSON.createObjectNode();
      sorted.forEach(out::set);
      return out;
    }
    if (n.isArray()) {
      ArrayNode out = JSON.createArrayNode();
      n.forEach(e -> out.add(canonical(e)));
      return out;
    }
    return n;
  }
}
