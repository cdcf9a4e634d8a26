package dev.keel.agent.eval;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keel.agent.eval.AgentScorers.Order;
import dev.keel.eval.EvalItem;
import dev.keel.eval.ScoreResult;
import dev.keel.eval.Scorer;
import dev.keel.eval.ScoringContext;
import dev.keel.eval.TaskOutput;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AgentScorersTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private static JsonNode json(String s) {
    try {
      return JSON.readTree(s);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  /** Expected calls in metadata, made calls as the task output's tool calls. */
  private static ScoreResult score(Scorer s, String expected, String made) {
    EvalItem item = new EvalItem("i1", json("\"refund order 7\""), null, List.of(),
        json("{\"tool_calls\": " + expected + "}"));
    List<JsonNode> calls = new ArrayList<>();
    json(made).forEach(calls::add);
    TaskOutput out = new TaskOutput("done", null, calls, List.of(), null, 5, null, null);
    return s.score(new ScoringContext(item, out, null));
  }

  private static final String EXPECTED = """
      [{"name": "lookup", "arguments": {"id": "7"}},
       {"name": "refund", "arguments": {"id": "7", "amount": 10}}]""";

  @Test
  void accuracy_positionWise_overTheLongerList() {
    String swapped = """
        [{"name": "refund", "arguments": {"id": "7", "amount": 10.0}},
         {"name": "lookup", "arguments": {"id": "7"}}]""";
    String rightThenExtra = """
        [{"name": "lookup", "arguments": "{\\"id\\": \\"7\\"}"},
         {"name": "refund", "arguments": {"id": "7", "amount": 10.0}},
         {"name": "notify", "arguments": {}}]""";

    assertThat(score(AgentScorers.toolCallAccuracy(), EXPECTED, swapped).value()).isZero();
    assertThat(score(AgentScorers.toolCallAccuracy(), EXPECTED, rightThenExtra).value())
        .isEqualTo(2.0 / 3);
  }

  @Test
  void f1_multisetMatch_precisionAndRecall() {
    String oneRightOneWrong = """
        [{"name": "refund", "arguments": {"id": "7", "amount": 10}},
         {"name": "lookup", "arguments": {"id": "8"}},
         {"name": "lookup", "arguments": {"id": "9"}}]""";

    ScoreResult r = score(AgentScorers.toolCallF1(), EXPECTED, oneRightOneWrong);

    // precision 1/3, recall 1/2: F1 = 2 * (1/6) / (5/6) = 0.4
    assertThat(r.value()).isCloseTo(0.4, org.assertj.core.data.Offset.offset(1e-12));
    assertThat(r.reason()).isEqualTo("precision 1/3, recall 1/2");
    assertThat(score(AgentScorers.toolCallF1(), EXPECTED, EXPECTED).value()).isEqualTo(1.0);
    assertThat(score(AgentScorers.toolCallF1(), EXPECTED, "[]").value()).isZero();
  }

  @Test
  void trajectory_threeOrders() {
    String extraBetween = """
        [{"name": "lookup"}, {"name": "notify"}, {"name": "refund"}]""";
    String reversed = """
        [{"name": "refund"}, {"name": "lookup"}]""";

    assertThat(score(AgentScorers.trajectory(Order.EXACT), EXPECTED, EXPECTED).value())
        .isEqualTo(1.0);
    assertThat(score(AgentScorers.trajectory(Order.EXACT), EXPECTED, extraBetween).value())
        .isZero();
    assertThat(score(AgentScorers.trajectory(Order.IN_ORDER), EXPECTED, extraBetween).value())
        .isEqualTo(1.0);
    assertThat(score(AgentScorers.trajectory(Order.IN_ORDER), EXPECTED, reversed).value())
        .isZero();
    assertThat(score(AgentScorers.trajectory(Order.ANY_ORDER), EXPECTED, reversed).value())
        .isEqualTo(1.0);
    assertThat(score(AgentScorers.trajectory(Order.ANY_ORDER), EXPECTED,
        "[{\"name\": \"lookup\"}]").value()).isZero();
  }

  @Test
  void noExpectedCalls_undeterminedNotZero() {
    EvalItem item = new EvalItem("i2", json("\"hi\""), null, List.of(), null);
    TaskOutput out = new TaskOutput("hello", null, List.of(), List.of(), null, 1, null, null);

    ScoreResult r = AgentScorers.toolCallF1().score(new ScoringContext(item, out, null));

    assertThat(r.determined()).isFalse();
    assertThat(r.reason()).isEqualTo("the item names no expected tool calls");
  }

  @Test
  void madeCalls_fromRawJsonWhenTheOutputHasNone() {
    EvalItem item = new EvalItem("i3", json("\"x\""), null, List.of(),
        json("{\"trajectory\": [\"lookup\", \"refund\"]}"));
    TaskOutput out = new TaskOutput("ok", json("{\"tool_calls\": " + EXPECTED + "}"), List.of(),
        List.of(), null, 1, null, null);

    ScoreResult r = AgentScorers.trajectory(Order.EXACT)
        .score(new ScoringContext(item, out, null));

    assertThat(r.value()).isEqualTo(1.0);
  }

  @Test
  void goal_checkFunctionAndFailedTask() {
    Scorer goal = AgentScorers.goal("refunded", c -> c.output().text().contains("done"));
    EvalItem item = new EvalItem("i4", json("\"x\""), null, List.of(), null);
    TaskOutput failed = new TaskOutput(null, null, List.of(), List.of(), null, 1, null,
        "gateway answered 503");

    assertThat(score(goal, "[]", "[]").value()).isEqualTo(1.0);
    assertThat(goal.score(new ScoringContext(item, failed, null)).reason())
        .isEqualTo("the task failed: gateway answered 503");
    assertThat(AgentScorers.goalByJudge("refund issued").score(new ScoringContext(item,
        new TaskOutput("ok", null, List.of(), List.of(), null, 1, null, null), null)).reason())
        .isEqualTo("no judge model is configured");
  }
}
