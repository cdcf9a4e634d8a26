package dev.keel.eval.score;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keel.eval.ScoringContext;

/** The texts scorers compare: the task's answer and the item's reference. */
public final class Texts {

  private Texts() {}

  /** The task's answer, or null when the task failed or answered nothing. */
  public static String output(ScoringContext c) {
    return c.output().text();
  }

  /** The item's reference answer as text (a JSON string unquoted, other JSON as written). */
  public static String expected(ScoringContext c) {
    return asText(c.item().expectedOutput());
  }

  /** The item's input as text: a string, the last user message's content, or the JSON. */
  public static String question(ScoringContext c) {
    JsonNode in = c.item().input();
    if (in.isTextual()) {
      return in.asText();
    }
    JsonNode messages = in.isArray() ? in : in.path("messages");
    if (messages.isArray()) {
      for (int i = messages.size() - 1; i >= 0; i--) {
        if ("user".equals(messages.get(i).path("role").asText())) {
          return asText(messages.get(i).path("content"));
        }
      }
    }
    for (String key : new String[] {"question", "query", "input", "text"}) {
      if (in.path(key).isTextual()) {
        return in.path(key).asText();
      }
    }
    return in.toString();
  }

  static String asText(JsonNode n) {
    if (n == null || n.isNull() || n.isMissingNode()) {
      return null;
    }
    return n.isTextual() ? n.asText() : n.toString();
  }
}
