package dev.keel.eval.judge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.keel.eval.EvalItem;
import dev.keel.eval.Judge;
import dev.keel.eval.ScoreResult;
import dev.keel.eval.ScoringContext;
import dev.keel.eval.TaskOutput;
import dev.keel.eval.score.Scorers;
import dev.keel.simulator.Simulator;
import dev.keel.simulator.SimulatorConfig;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The judge and RAG scorers against Keel's simulator speaking the chat completions wire (the
 * same wire GatewayJudge uses through Keel), on real ClapNQ items from the answer book.
 */
class JudgeScorersIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static Simulator sim;
  private static GatewayJudge judge;
  private static List<JsonNode> book;

  @BeforeAll
  static void start() throws Exception {
    sim = Simulator.start(SimulatorConfig.anyPort());
    judge = new GatewayJudge(URI.create(sim.baseUrl()), "sk-test", "gpt-4o");
    book = new ArrayList<>();
    try (var in = new BufferedReader(new InputStreamReader(Simulator.class.getResourceAsStream(
        "answer-book-clapnq.jsonl"), StandardCharsets.UTF_8))) {
      for (int i = 0; i < 10; i++) {
        book.add(JSON.readTree(in.readLine()));
      }
    }
  }

  @AfterAll
  static void stop() {
    sim.close();
  }

  private static ScoringContext rag(JsonNode entry, String answer, List<String> retrieved) {
    EvalItem item = new EvalItem(entry.get("id").asText(), entry.get("question"),
        entry.get("answer"), List.of(entry.get("contexts").get(0).asText()), null);
    TaskOutput out = new TaskOutput(answer, null, null, retrieved, null, 5, null, null);
    return new ScoringContext(item, out, judge);
  }

  private static ScoreResult score(String scorer, ScoringContext c) {
    // Plain and G-Eval grading need criteria; the default one of reference-guided grading.
    Map<String, Object> options = scorer.equals("rubric") || scorer.equals("g_eval")
        ? Map.of("rubric", JudgeScorers.DEFAULT_RUBRIC) : Map.of();
    return Scorers.byName(scorer, options).score(c);
  }

  @Test
  void theSimulatedJudgeIsNamedAsSuch() {
    score("rubric", rag(book.get(0), "x", List.of()));
    assertThat(judge.simulated()).isTrue();
    assertThat(judge.model()).isEqualTo("gpt-4o (simulated)");
  }

  @Test
  void ragMetricsSeparateAGroundedAnswerFromAnotherQuestionsAnswer() {
    JsonNode e = book.get(0);
    String gold = e.get("contexts").get(0).asText();
    String right = e.get("answer").asText();
    String wrong = book.get(1).get("answer").asText();
    String otherContext = book.get(1).get("contexts").get(0).asText();

    double faithRight = score("faithfulness", rag(e, right, List.of(gold))).value();
    double faithWrong = score("faithfulness", rag(e, wrong, List.of(gold))).value();
    assertThat(faithRight).isGreaterThan(faithWrong);
    assertThat(faithRight).isEqualTo(1.0);

    ScoringContext goldSecond = rag(e, right, List.of(otherContext, gold));
    assertThat(score("context_precision", goldSecond).value()).isEqualTo(0.5);
    assertThat(score("context_precision", rag(e, right, List.of(gold, otherContext))).value())
        .isEqualTo(1.0);
    assertThat(score("context_precision_without_reference", goldSecond).value())
        .isEqualTo(0.5);
    assertThat(score("context_recall", rag(e, right, List.of(gold))).value())
        .isGreaterThan(score("context_recall", rag(e, right, List.of(otherContext))).value());
    assertThat(score("nonllm_context_recall", rag(e, right, List.of(gold))).value())
        .isEqualTo(1.0);
    assertThat(score("nonllm_context_precision", goldSecond).value()).isEqualTo(0.5);

    double relRight = score("answer_relevancy", rag(e, right, List.of(gold))).value();
    double relWrong = score("answer_relevancy", rag(e, wrong, List.of(gold))).value();
    assertThat(relRight).isGreaterThan(0.9);
    assertThat(relWrong).isLessThan(relRight);
  }

  @Test
  void aRefusalHasNoStatementsSoFaithfulnessIsUndetermined() {
    JsonNode e = book.get(2);
    ScoreResult r = score("faithfulness", rag(e, "I don't know.", List.of(
        e.get("contexts").get(0).asText())));
    assertThat(r.determined()).isFalse();
    assertThat(r.reason()).contains("no statements");
    assertThat(score("answer_relevancy", rag(e, "I don't know.", List.of())).value())
        .isEqualTo(0.0);
  }

  @Test
  void rubricGEvalReferenceGuidedAndPairwise() {
    JsonNode e = book.get(3);
    String right = e.get("answer").asText();
    String wrong = book.get(4).get("answer").asText();
    ScoringContext good = rag(e, right, List.of());
    ScoringContext bad = rag(e, wrong, List.of());

    assertThat(score("reference_guided", good).value()).isEqualTo(1.0);
    assertThat(score("reference_guided", bad).value()).isLessThan(0.5);
    // Without a reference the simulated judge grades overlap with the question; G-Eval then
    // spreads the raw score over its neighbours by their probabilities.
    ScoreResult raw = score("rubric", good);
    ScoreResult g = score("g_eval", good);
    assertThat(raw.determined()).isTrue();
    assertThat(g.reason()).contains("probability-weighted");
    assertThat(g.value()).isNotEqualTo(raw.value()).isCloseTo(raw.value(),
        org.assertj.core.api.Assertions.within(0.25));

    // Pairwise against the item's reference: a copy of it ties, another answer loses.
    assertThat(score("pairwise", good).label()).isEqualTo("tie");
    assertThat(score("pairwise", bad).label()).isEqualTo("loss");
  }

  @Test
  void aJudgeAnsweringGarbageOrFailingLeavesTheItemUndeterminedWithTheReason() {
    JsonNode e = book.get(5);
    // The directive rides in the candidate, so the simulated judge breaks its schema every time.
    ScoreResult garbage = score("reference_guided", rag(e, "[[sim json=invalid]] Paris",
        List.of()));
    assertThat(garbage.determined()).isFalse();
    assertThat(garbage.reason()).contains("did not match the schema").contains("3 attempts");

    ScoreResult down = score("rubric", rag(e, "[[sim fault=500]] Paris", List.of()));
    assertThat(down.determined()).isFalse();
    assertThat(down.reason()).contains("HTTP 500");

    assertThat(down.reason()).contains("HTTP 500: ").contains("(after 3 attempts)");

    // A 4xx cannot succeed when asked again: one call, and its own status and message. (The
    // fault hits the first call only, so a retry would have scored.)
    ScoreResult refused = score("rubric", rag(e,
        "[[sim fault=content_policy times=1]] Paris, asked once", List.of()));
    assertThat(refused.determined()).isFalse();
    assertThat(refused.reason()).contains("judge answered HTTP 400: ", "safety system")
        .doesNotContain("attempts");
    GatewayJudge unknown = new GatewayJudge(URI.create(sim.baseUrl()), "sk-test",
        "nonexistent-model");
    assertThatThrownBy(() -> unknown.ask("Is it right?", JudgeScorers.scoreSchema(1, 5), false))
        .isInstanceOf(Judge.JudgeException.class)
        .hasMessageContaining("judge answered HTTP 404: ")
        .hasMessageContaining("nonexistent-model")
        .hasMessageNotContaining("attempts");

    GatewayJudge nowhere = new GatewayJudge(URI.create("http://127.0.0.1:1"), "k", "gpt-4o");
    EvalItem item = new EvalItem("x", TextNode.valueOf("q"), TextNode.valueOf("r"), List.of(),
        null);
    ScoreResult unreachable = Scorers.byName("rubric", Map.of("rubric", "Is it right?"))
        .score(new ScoringContext(item, new TaskOutput("a", null, null, null, null, 1, null,
            null), nowhere));
    assertThat(unreachable.determined()).isFalse();
    assertThat(unreachable.reason()).contains("judge call failed");
  }

  @Test
  void aJudgeAnswerIsValidatedAgainstTheSchema() {
    Judge.JudgeReply reply = judge.ask("<candidate>\nSome answer.\n</candidate>",
        JudgeScorers.scoreSchema(1, 5), false);
    assertThat(reply.json().path("score").asInt()).isBetween(1, 5);
    assertThat(reply.logprobs()).isNull();
  }
}
