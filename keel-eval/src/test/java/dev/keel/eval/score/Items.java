package dev.keel.eval.score;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.keel.eval.EvalItem;
import dev.keel.eval.ScoringContext;
import dev.keel.eval.TaskOutput;
import java.math.BigDecimal;
import java.util.List;

/** Builds scoring contexts for tests. */
public final class Items {

  public static final ObjectMapper JSON = new ObjectMapper();

  private Items() {}

  public static ScoringContext text(String question, String expected, String answer) {
    EvalItem item = new EvalItem("i1", TextNode.valueOf(question),
        expected == null ? null : TextNode.valueOf(expected), List.of(), null);
    return new ScoringContext(item, output(answer), null);
  }

  public static TaskOutput output(String answer) {
    return new TaskOutput(answer, null, List.of(), List.of(), BigDecimal.ZERO, 10, null, null);
  }

  public static JsonNode json(String s) {
    try {
      return JSON.readTree(s);
    } catch (java.io.IOException e) {
      throw new IllegalArgumentException(e);
    }
  }
}
