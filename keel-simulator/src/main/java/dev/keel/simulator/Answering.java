package dev.keel.simulator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What the simulator knows beyond directives: the answer book, the models' qualities and the
 * judge profile.
 */
record Answering(AnswerBook book, Scenario scenario, JudgeProfile judge) {

  static Answering of(AnswerBook book, Scenario scenario) {
    return new Answering(book, scenario, new JudgeProfile(book));
  }

  /** The judge's or the book's answer to {@code r}, or null when neither applies. */
  String answer(ChatRequest r) {
    ChatRequest.ResponseFormat f = r.responseFormat();
    String last = r.lastUserText();
    if (f.type().equals("json_schema") && f.schema() != null
        && f.schema().path("properties").isObject()) {
      JudgeProfile.Sections s = JudgeProfile.sections(last);
      return s == null ? null : judgeJson(judge.answer(s, f.schema()));
    }
    if (!f.type().equals("text") || book == null) {
      return null;
    }
    AnswerBook.Entry e = book.find(last);
    return e == null ? null : Quality.answer(book, e, r.model(), scenario.quality(r.model()));
  }

  /**
   * The verdict as JSON text with an integer {@code score} written as a token of its own
   * ({@code "score": 4 }), so its log-probability (and its alternatives') can be read back.
   */
  static String judgeJson(ObjectNode verdict) {
    JsonNode score = verdict.get("score");
    if (score == null || !score.isIntegralNumber()) {
      return write(verdict);
    }
    ObjectNode rest = verdict.deepCopy();
    rest.remove("score");
    String body = write(rest);
    String head = body.substring(0, body.length() - 1);
    return head + (rest.isEmpty() ? "" : ",") + "\"score\": " + score.asLong() + " }";
  }

  private static String write(JsonNode n) {
    try {
      return Json.MAPPER.writeValueAsString(n);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write JSON: " + e.getMessage(), e);
    }
  }
}
