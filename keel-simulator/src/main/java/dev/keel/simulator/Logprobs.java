package dev.keel.simulator;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * OpenAI {@code logprobs} for answer pieces. The numbers are made up but stable: each piece's
 * log-probability comes from its hash, and its alternatives are always less likely than it.
 */
final class Logprobs {

  private Logprobs() {}

  static ObjectNode node(List<String> pieces, int top) {
    ObjectNode root = Json.MAPPER.createObjectNode();
    ArrayNode content = root.putArray("content");
    for (String piece : pieces) {
      double lp = -(Math.floorMod(piece.hashCode(), 1000) / 2000.0);
      ObjectNode entry = entry(content.addObject(), piece, lp);
      ArrayNode alternatives = entry.putArray("top_logprobs");
      for (int k = 0; k < top; k++) {
        String alt = k == 0 ? piece : alternative(piece, k);
        entry(alternatives.addObject(), alt, k == 0 ? lp : lp - 1.5 * k);
      }
    }
    root.putNull("refusal");
    return root;
  }

  /**
   * The k-th less likely alternative to {@code piece}. A number's alternatives are its
   * neighbours (n-1, n+1, n-2, ...), so a judge's score token carries a plausible distribution
   * over nearby scores for G-Eval weighting.
   */
  static String alternative(String piece, int k) {
    String digits = piece.strip();
    if (digits.matches("-?\\d{1,9}")) {
      long n = Long.parseLong(digits);
      long alt = k % 2 == 1 ? n - (k + 1) / 2 : n + k / 2;
      return piece.substring(0, piece.indexOf(digits)) + alt
          + piece.substring(piece.indexOf(digits) + digits.length());
    }
    return piece + "_" + k;
  }

  private static ObjectNode entry(ObjectNode node, String token, double logprob) {
    node.put("token", token);
    node.put("logprob", logprob);
    ArrayNode bytes = node.putArray("bytes");
    for (byte b : token.getBytes(StandardCharsets.UTF_8)) {
      bytes.add(b & 0xff);
    }
    return node;
  }
}
