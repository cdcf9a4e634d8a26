package dev.keel.eval.score;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.keel.eval.EvalItem;
import dev.keel.eval.ScoreResult;
import dev.keel.eval.ScoringContext;
import dev.keel.eval.TaskOutput;
import com.fasterxml.jackson.databind.node.TextNode;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ScorersTest {

  private static ScoreResult run(String name, Map<String, Object> opts, ScoringContext c) {
    return Scorers.byName(name, opts).score(c);
  }

  @Test
  void everyBuiltInNameBuildsWithItsRequiredOptions() {
    Map<String, Map<String, Object>> required = Map.of(
        "regex", Map.of("regex", "x"),
        "rubric", Map.of("rubric", "Is it correct?"),
        "g_eval", Map.of("rubric", "Is it correct?"),
        "json_schema", Map.of("schema", Map.of("type", "object")),
        "latency", Map.of("max_ms", 100),
        "cost", Map.of("max_usd", "0.01"));
    for (String name : Scorers.names()) {
      var s = Scorers.byName(name, required.getOrDefault(name, Map.of()));
      assertThat(s.name()).isEqualTo(name);
      assertThat(s.version()).isNotBlank();
    }
    assertThat(Scorers.names()).contains("exact_match", "bleu", "rouge_l", "tool_call_match",
        "embedding_similarity", "g_eval", "pairwise", "faithfulness", "nonllm_context_recall");
  }

  @Test
  void unknownScorersAndBadOptionsAreNamed() {
    assertThatThrownBy(() -> Scorers.byName("exactmatch", Map.of()))
        .hasMessageContaining("unknown scorer: exactmatch").hasMessageContaining("exact_match");
    assertThatThrownBy(() -> Scorers.byName("regex", Map.of()))
        .hasMessageContaining("needs option 'pattern'");
    assertThatThrownBy(() -> Scorers.byName("g_eval", Map.of("min", 0)))
        .hasMessageContaining("scorer g_eval needs option 'rubric'");
    assertThatThrownBy(() -> Scorers.byName("rubric", Map.of("rubric", " ")))
        .hasMessageContaining("scorer rubric needs option 'rubric'");
    assertThatThrownBy(() -> Scorers.byName("regex", Map.of("regex", "(")))
        .hasMessageContaining("invalid regex");
    assertThatThrownBy(() -> Scorers.byName("numeric", Map.of("tolerance", "abc")))
        .hasMessageContaining("numeric.tolerance must be a number: abc");
    assertThatThrownBy(() -> Scorers.byName("json_schema", Map.of("schema", "{nope")))
        .hasMessageContaining("json_schema.schema is not valid JSON");
    assertThatThrownBy(() -> Scorers.byName("latency", Map.of()))
        .hasMessageContaining("max_ms");
    assertThatThrownBy(() -> Scorers.byName("rouge_l", Map.of("mod", "recall")))
        .hasMessage("scorer rouge_l: unknown option 'mod' (allowed: mode, name, threshold)");
    assertThatThrownBy(() -> Scorers.byName("rouge_l", Map.of("mode", "f1")))
        .hasMessageContaining("rouge_l.mode must be fmeasure, precision or recall: f1");
  }

  @Test
  void nameOptionRenamesTheScore() {
    assertThat(Scorers.byName("contains", Map.of("name", "mentions_paris", "value", "Paris"))
        .score(Items.text("q", null, "in Paris")).name()).isEqualTo("mentions_paris");
  }

  @Test
  void exactMatchContainsAndRegex() {
    var c = Items.text("q", "Paris", " paris ");
    assertThat(run("exact_match", Map.of(), c).value()).isEqualTo(0.0);
    assertThat(run("exact_match", Map.of("trim", true, "ignore_case", true), c).value())
        .isEqualTo(1.0);
    assertThat(run("contains", Map.of(), c).value()).isEqualTo(0.0);
    assertThat(run("contains", Map.of("ignore_case", true), c).value()).isEqualTo(1.0);
    assertThat(run("regex", Map.of("regex", "p\\w+s"), c).value()).isEqualTo(1.0);
    assertThat(run("regex", Map.of("regex", "p\\w+s", "full_match", true), c).value())
        .isEqualTo(0.0);
    assertThat(run("exact_match", Map.of(), Items.text("q", null, "x")).determined()).isFalse();
  }

  @Test
  void jsonValidityAndSchema() {
    Map<String, Object> schema = Map.of("schema", Map.of("type", "object",
        "required", List.of("city"), "properties", Map.of("city", Map.of("type", "string"))));
    assertThat(run("json_valid", Map.of(), Items.text("q", null, "{\"a\": 1}")).value())
        .isEqualTo(1.0);
    ScoreResult bad = run("json_valid", Map.of(), Items.text("q", null, "{\"a\": 1"));
    assertThat(bad.value()).isEqualTo(0.0);
    assertThat(bad.reason()).contains("not valid JSON");
    assertThat(run("json_valid", Map.of(), Items.text("q", null, "{} trailing")).value())
        .isEqualTo(0.0);
    assertThat(run("json_schema", schema, Items.text("q", null, "{\"city\": \"Paris\"}"))
        .value()).isEqualTo(1.0);
    ScoreResult miss = run("json_schema", schema, Items.text("q", null, "{\"town\": 1}"));
    assertThat(miss.value()).isEqualTo(0.0);
    assertThat(miss.reason()).contains("city");
  }

  @Test
  void numericToleranceAbsoluteAndRelative() {
    var c = Items.text("q", "The answer is 1,000", "about 1003.5 units");
    assertThat(run("numeric", Map.of("tolerance", 5), c).value()).isEqualTo(1.0);
    assertThat(run("numeric", Map.of("tolerance", 3), c).value()).isEqualTo(0.0);
    assertThat(run("numeric", Map.of("relative_tolerance", 0.005), c).value()).isEqualTo(1.0);
    ScoreResult none = run("numeric", Map.of(), Items.text("q", "5", "five"));
    assertThat(none.value()).isEqualTo(0.0);
    assertThat(none.reason()).isEqualTo("no number in the answer");
  }

  @Test
  void similarityScorersUseTheReferenceVectorsAndLabelByThreshold() {
    var c = Items.text("q", "The Eiffel Tower is located in Paris.",
        "The Eiffel Tower is located in India.");
    assertThat(run("string_similarity", Map.of(), c).value()).isEqualTo(33.0 / 37);
    assertThat(run("bleu", Map.of(), c).value()).isCloseTo(0.7071067811865478, within(1e-12));
    ScoreResult rouge = run("rouge_l", Map.of("threshold", 0.9), c);
    assertThat(rouge.value()).isCloseTo(0.8571428571428571, within(1e-12));
    assertThat(rouge.label()).isEqualTo("fail");
  }

  @Test
  void latencyAndCostThresholds() {
    EvalItem item = new EvalItem("i", TextNode.valueOf("q"), null, List.of(), null);
    TaskOutput out = new TaskOutput("a", null, null, null, new BigDecimal("0.0021"), 250, null,
        null);
    var c = new ScoringContext(item, out, null);
    assertThat(run("latency", Map.of("max_ms", 300), c).value()).isEqualTo(1.0);
    assertThat(run("latency", Map.of("max_ms", 200), c).value()).isEqualTo(0.0);
    assertThat(run("cost", Map.of("max_usd", "0.0021"), c).value()).isEqualTo(1.0);
    assertThat(run("cost", Map.of("max_usd", 0.002), c).value()).isEqualTo(0.0);
    var unknown = new ScoringContext(item, new TaskOutput("a", null, null, null, null, 1, null,
        null), null);
    assertThat(run("cost", Map.of("max_usd", 1), unknown).determined()).isFalse();
  }

  @Test
  void aFailedTaskAndAMissingJudgeAreUndeterminedNotZero() {
    EvalItem item = new EvalItem("i", TextNode.valueOf("q"), TextNode.valueOf("r"), List.of(),
        null);
    var failed = new ScoringContext(item, new TaskOutput(null, null, null, null, null, 1, null,
        "HTTP 500"), null);
    ScoreResult r = run("exact_match", Map.of(), failed);
    assertThat(r.determined()).isFalse();
    assertThat(r.reason()).contains("HTTP 500");
    for (String judged : List.of("rubric", "g_eval", "reference_guided", "pairwise",
        "faithfulness", "context_recall", "context_precision", "answer_relevancy")) {
      Map<String, Object> criteria = judged.equals("rubric") || judged.equals("g_eval")
          ? Map.of("rubric", "Is it correct?") : Map.of();
      ScoreResult j = run(judged, criteria, Items.text("q", "r", "a"));
      assertThat(j.determined()).as(judged).isFalse();
      assertThat(j.reason()).as(judged).contains("no judge");
    }
  }
}
