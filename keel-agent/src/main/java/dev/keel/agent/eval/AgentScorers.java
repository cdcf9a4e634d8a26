package dev.keel.agent.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keel.agent.eval.ToolCalls.Call;
import dev.keel.eval.Judge;
import dev.keel.eval.ScoreResult;
import dev.keel.eval.Scorer;
import dev.keel.eval.ScoringContext;
import dev.keel.eval.judge.Prompts;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * Scorers of what an agent did, as {@link Scorer}s for Keel's evaluation runner. Expected calls
 * come from the item's metadata {@code tool_calls} ({@code [{"name", "arguments"}]}), the
 * expected trajectory from metadata {@code trajectory} (tool names) or else the names of the
 * expected calls. Made calls are the task output's tool calls (what {@link AgentTask} fills),
 * or the {@code tool_calls} of its raw JSON (an endpoint's answer). An item that expects
 * nothing is undetermined, never a fake score.
 */
public final class AgentScorers {

  private static final ObjectMapper JSON = new ObjectMapper();

  private AgentScorers() {}

  /** How a trajectory is compared with the expected one. */
  public enum Order {
    /** The same tools in the same order, nothing more. */
    EXACT,
    /** The expected tools appear in this order; other calls may come between. */
    IN_ORDER,
    /** Every expected tool is called (as often as expected), in any order. */
    ANY_ORDER
  }

  /** Position by position: calls matching the expected call at their index / the longer list. */
  public static Scorer toolCallAccuracy() {
    return scorer("tool_call_accuracy", "tool_call_accuracy/1", c -> {
      List<Call> expected = ToolCalls.expected(c);
      if (expected == null) {
        return undetermined("tool_call_accuracy");
      }
      List<Call> made = ToolCalls.made(c);
      int n = Math.max(expected.size(), made.size());
      if (n == 0) {
        return new ScoreResult("tool_call_accuracy", 1, "pass", "no calls expected, none made");
      }
      int hits = 0;
      for (int i = 0; i < Math.min(expected.size(), made.size()); i++) {
        hits += ToolCalls.matches(expected.get(i), made.get(i)) ? 1 : 0;
      }
      return ratio("tool_call_accuracy", hits, n, hits + " of " + n + " calls right in place");
    });
  }

  /**
   * F1 of made against expected calls as multisets (a call matches one expected call with the
   * same name and arguments): precision = matched / made, recall = matched / expected.
   */
  public static Scorer toolCallF1() {
    return scorer("tool_call_f1", "tool_call_f1/1", c -> {
      List<Call> expected = ToolCalls.expected(c);
      if (expected == null) {
        return undetermined("tool_call_f1");
      }
      List<Call> made = ToolCalls.made(c);
      if (expected.isEmpty() && made.isEmpty()) {
        return new ScoreResult("tool_call_f1", 1, "pass", "no calls expected, none made");
      }
      int matched = matchedCount(expected, made);
      double precision = made.isEmpty() ? 0 : (double) matched / made.size();
      double recall = expected.isEmpty() ? 0 : (double) matched / expected.size();
      double f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
      return new ScoreResult("tool_call_f1", f1, f1 == 1 ? "pass" : "fail", String.format(
          "precision %d/%d, recall %d/%d", matched, made.size(), matched, expected.size()));
    });
  }

  /** 1 when the tools called (by name) follow the expected trajectory under {@code order}. */
  public static Scorer trajectory(Order order) {
    String name = "trajectory_" + order.name().toLowerCase();
    return scorer(name, name + "/1", c -> {
      List<String> expected = ToolCalls.expectedTrajectory(c);
      if (expected == null) {
        return undetermined(name);
      }
      List<String> made = ToolCalls.made(c).stream().map(Call::name).toList();
      boolean ok = switch (order) {
        case EXACT -> made.equals(expected);
        case IN_ORDER -> subsequence(expected, made);
        case ANY_ORDER -> containsAll(made, expected);
      };
      return new ScoreResult(name, ok ? 1 : 0, ok ? "pass" : "fail",
          "expected " + expected + ", called " + made);
    });
  }

  /** Goal success by a check of your own (the refund was made, the ticket exists...). */
  public static Scorer goal(String name, Predicate<ScoringContext> check) {
    Objects.requireNonNull(check, "check");
    return scorer(name, name + "/1", c -> {
      boolean ok = check.test(c);
      return new ScoreResult(name, ok ? 1 : 0, ok ? "pass" : "fail",
          ok ? "the goal check passed" : "the goal check failed");
    });
  }

  /**
   * Goal success judged by the evaluation's judge model against {@code goal} and the item's
   * expected output when it has one: the judge gives {@code score} 1 (achieved) or 0, with a
   * reason; undetermined without a judge or when the judge fails.
   */
  public static Scorer goalByJudge(String goal) {
    Objects.requireNonNull(goal, "goal");
    ObjectNode schema = JSON.createObjectNode().put("type", "object");
    ObjectNode props = schema.putObject("properties");
    props.putObject("reason").put("type", "string");
    props.putObject("score").put("type", "integer").put("minimum", 0).put("maximum", 1);
    schema.putArray("required").add("reason").add("score");
    schema.put("additionalProperties", false);
    return scorer("goal_judged", "goal_judged/1", c -> judged(c, goal, schema));
  }

  private static ScoreResult judged(ScoringContext c, String goal, ObjectNode schema) {
    Judge judge = c.judge();
    if (judge == null) {
      return ScoreResult.undetermined("goal_judged", "no judge model is configured");
    }
    JsonNode expected = c.item().expectedOutput();
    String prompt = new Prompts("Did the agent achieve the goal? Goal: " + goal + "\nGive"
        + " score 1 when the candidate answer shows the goal achieved (as the reference"
        + " describes, when there is one), else 0, and a one-sentence reason.")
        .section("question", text(c.item().input()))
        .section("candidate", c.output().text())
        .section("reference", expected == null ? null : text(expected))
        .line("Tools the agent called: " + ToolCalls.made(c).stream().map(Call::name).toList())
        .build();
    try {
      JsonNode reply = judge.ask(prompt, schema, false).json();
      int score = reply.path("score").asInt();
      return new ScoreResult("goal_judged", score == 1 ? 1 : 0, score == 1 ? "pass" : "fail",
          reply.path("reason").asText());
    } catch (Judge.JudgeException e) {
      return ScoreResult.undetermined("goal_judged", e.getMessage());
    }
  }

  private static String text(JsonNode n) {
    return n.isTextual() ? n.asText() : n.toString();
  }

  private static int matchedCount(List<Call> expected, List<Call> made) {
    List<Call> open = new ArrayList<>(expected);
    int matched = 0;
    for (Call m : made) {
      for (int i = 0; i < open.size(); i++) {
        if (ToolCalls.matches(open.get(i), m)) {
          open.remove(i);
          matched++;
          break;
        }
      }
    }
    return matched;
  }

  private static boolean subsequence(List<String> expected, List<String> made) {
    int i = 0;
    for (String m : made) {
      if (i < expected.size() && expected.get(i).equals(m)) {
        i++;
      }
    }
    return i == expected.size();
  }

  private static boolean containsAll(List<String> made, List<String> expected) {
    List<String> open = new ArrayList<>(made);
    return expected.stream().allMatch(open::remove);
  }

  private static ScoreResult ratio(String name, int hits, int n, String reason) {
    double v = (double) hits / n;
    return new ScoreResult(name, v, v == 1 ? "pass" : "fail", reason);
  }

  private static ScoreResult undetermined(String name) {
    return ScoreResult.undetermined(name, "the item names no expected tool calls");
  }

  private static Scorer scorer(String name, String version,
      java.util.function.Function<ScoringContext, ScoreResult> fn) {
    return new FnScorer(name, version, fn);
  }

  private record FnScorer(String name, String version,
      java.util.function.Function<ScoringContext, ScoreResult> fn) implements Scorer {

    @Override
    public ScoreResult score(ScoringContext c) {
      if (c.output().failed()) {
        return ScoreResult.undetermined(name, "the task failed: " + c.output().error());
      }
      return fn.apply(c);
    }
  }
}
