package dev.keel.eval.score;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.keel.eval.EvalItem;
import dev.keel.eval.ScoreResult;
import dev.keel.eval.ScoringContext;
import dev.keel.eval.TaskOutput;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ToolCallMatchTest {

  private final ToolCallMatch ordered = new ToolCallMatch("tool_call_match", true);
  private final ToolCallMatch unordered = new ToolCallMatch("tool_call_match", false);

  @Test
  void bfclItemsScoreOneForAnAcceptableCallAndZeroForAWrongValue() throws Exception {
    List<JsonNode> answers = resource("/bfcl/simple_python_20_possible_answer.jsonl");
    assertThat(answers).hasSize(20);
    int optionalOmitted = 0;
    for (JsonNode a : answers) {
      JsonNode truth = a.get("ground_truth");
      var expected = ToolCallMatch.parseExpected(truth);
      ObjectNode call = firstAcceptableCall(expected.get(0));
      assertThat(score(truth, call).value()).as(a.get("id").asText()).isEqualTo(1.0);

      // Every parameter that allows "" may be left out.
      ObjectNode trimmed = call.deepCopy();
      for (var p : expected.get(0).acceptable().entrySet()) {
        if (p.getValue().stream().anyMatch(v -> v.isTextual() && v.asText().isEmpty())) {
          ((ObjectNode) trimmed.get("arguments")).remove(p.getKey());
          optionalOmitted++;
        }
      }
      assertThat(score(truth, trimmed).value()).as(a.get("id").asText()).isEqualTo(1.0);

      ObjectNode wrong = call.deepCopy();
      String first = expected.get(0).acceptable().keySet().iterator().next();
      ((ObjectNode) wrong.get("arguments")).put(first, "surely-not-acceptable");
      ScoreResult r = score(truth, wrong);
      assertThat(r.value()).as(a.get("id").asText()).isEqualTo(0.0);
      assertThat(r.reason()).contains(first);
    }
    assertThat(optionalOmitted).isGreaterThan(0);
  }

  @Test
  void bfclItemZeroAcceptsEitherUnitAndIntegerAsDecimal() {
    JsonNode truth = Items.json("[{\"calculate_triangle_area\": {\"base\": [10], \"height\": [5],"
        + " \"unit\": [\"units\", \"\"]}}]");
    assertThat(score(truth, call("calculate_triangle_area",
        "{\"base\": 10.0, \"height\": 5, \"unit\": \"units\"}")).value()).isEqualTo(1.0);
    assertThat(score(truth, call("calculate_triangle_area",
        "{\"base\": 10, \"height\": 5}")).value()).isEqualTo(1.0);
    assertThat(score(truth, call("calculate_triangle_area",
        "{\"base\": 10, \"height\": 5, \"unit\": \"cm\"}")).value()).isEqualTo(0.0);
    assertThat(score(truth, call("calculate_triangle_area",
        "{\"base\": 10}")).reason()).contains("misses argument height");
    assertThat(score(truth, call("calculate_triangle_area",
        "{\"base\": 10, \"height\": 5, \"colour\": \"red\"}")).reason())
        .contains("unexpected argument colour");
    assertThat(score(truth, call("triangle_area", "{\"base\": 10, \"height\": 5}")).reason())
        .contains("called triangle_area, expected calculate_triangle_area");
  }

  @Test
  void orderMattersOnlyInOrderedMode() {
    var expected = ToolCallMatch.parseExpected(Items.json("[{\"name\": \"a\", \"arguments\": "
        + "{\"x\": 1}}, {\"name\": \"b\", \"arguments\": {}}]"));
    List<JsonNode> swapped = List.of(call("b", "{}"), call("a", "{\"x\": 1}"));
    assertThat(ordered.score(expected, swapped).value()).isEqualTo(0.0);
    assertThat(unordered.score(expected, swapped).value()).isEqualTo(1.0);
    // One extra call: 2 matched of max(2, 3).
    List<JsonNode> extra = List.of(call("a", "{\"x\": 1}"), call("b", "{}"), call("c", "{}"));
    assertThat(ordered.score(expected, extra).value()).isEqualTo(2.0 / 3);
    assertThat(unordered.score(expected, List.of()).value()).isEqualTo(0.0);
    assertThat(unordered.score(List.of(), List.of()).value()).isEqualTo(1.0);
  }

  @Test
  void expectedCallsAreReadFromMetadataAndBadSpecsAreNamed() {
    EvalItem item = new EvalItem("t", TextNode.valueOf("q"), null, List.of(),
        Items.json("{\"tool_calls\": [{\"name\": \"f\", \"arguments\": {\"n\": 5}}]}"));
    TaskOutput out = new TaskOutput(null, null, List.of(call("f", "{\"n\": 5}")), List.of(),
        null, 5, null, null);
    assertThat(ordered.score(new ScoringContext(item, out, null)).value()).isEqualTo(1.0);
    EvalItem none = new EvalItem("t", TextNode.valueOf("q"), null, List.of(), null);
    assertThat(ordered.score(new ScoringContext(none, out, null)).determined()).isFalse();
    assertThatThrownBy(() -> ToolCallMatch.parseExpected(Items.json("[42]")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("42");
  }

  private ScoreResult score(JsonNode truth, JsonNode call) {
    return ordered.score(ToolCallMatch.parseExpected(truth), List.of(call));
  }

  private static ObjectNode call(String name, String argsJson) {
    ObjectNode c = Items.JSON.createObjectNode();
    c.put("name", name);
    // OpenAI sends arguments as a JSON string.
    c.put("arguments", argsJson);
    return c;
  }

  private static ObjectNode firstAcceptableCall(ToolCallMatch.Expected e) {
    ObjectNode c = Items.JSON.createObjectNode();
    c.put("name", e.name());
    ObjectNode args = c.putObject("arguments");
    for (Map.Entry<String, List<JsonNode>> p : e.acceptable().entrySet()) {
      p.getValue().stream().filter(v -> !(v.isTextual() && v.asText().isEmpty())).findFirst()
          .ifPresent(v -> args.set(p.getKey(), v));
    }
    return c;
  }

  private static List<JsonNode> resource(String path) throws Exception {
    List<JsonNode> out = new ArrayList<>();
    try (var in = new BufferedReader(new InputStreamReader(
        ToolCallMatchTest.class.getResourceAsStream(path), StandardCharsets.UTF_8))) {
      String line;
      while ((line = in.readLine()) != null) {
        out.add(Items.JSON.readTree(line));
      }
    }
    return out;
  }
}
