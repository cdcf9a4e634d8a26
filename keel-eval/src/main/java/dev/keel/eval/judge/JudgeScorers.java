package dev.keel.eval.judge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keel.eval.Judge;
import dev.keel.eval.ScoreResult;
import dev.keel.eval.Scorer;
import dev.keel.eval.ScoringContext;
import dev.keel.eval.score.Options;
import dev.keel.eval.score.Texts;

/** LLM-as-judge scorers: rubric grading (plain, G-Eval weighted, reference-guided), pairwise. */
public final class JudgeScorers {

  static final ObjectMapper MAPPER = new ObjectMapper();
  static final String DEFAULT_RUBRIC = "How well does the candidate answer the question? "
      + "Reward correct, complete and relevant content; penalise errors, padding and repetition.";

  private JudgeScorers() {}

  /**
   * A rubric scorer on an integer scale min..max, normalised to [0, 1]. Plain and G-Eval
   * grading need the {@code rubric} option (criteria are what they grade by); reference-guided
   * grading has correctness against the reference as its default criterion.
   */
  public static Scorer rubric(Options o, boolean gEval, boolean withReference) {
    String rubric = withReference ? o.string("rubric", DEFAULT_RUBRIC) : o.string("rubric", "");
    if (rubric.isBlank()) {
      throw new IllegalArgumentException("scorer " + o.scorer() + " needs option 'rubric', the"
          + " criteria the judge grades by, e.g. options: {rubric: \"Is the answer correct and"
          + " polite?\"}");
    }
    int min = (int) o.number("min", 1);
    int max = (int) o.number("max", 5);
    if (max <= min) {
      throw new IllegalArgumentException("scorer " + o.scorer() + ": max must exceed min: "
          + min + ".." + max);
    }
    String kind = gEval ? "g_eval" : withReference ? "reference_guided" : "rubric";
    return new Rubric(o.scorer(), kind + "/1", rubric, min, max, gEval, withReference);
  }

  public static Scorer pairwise(Options o) {
    return new Pairwise(o.scorer(), o.string("rubric", DEFAULT_RUBRIC));
  }

  static ObjectNode scoreSchema(int min, int max) {
    ObjectNode s = MAPPER.createObjectNode();
    s.put("type", "object");
    ObjectNode props = s.putObject("properties");
    props.putObject("reason").put("type", "string");
    props.putObject("score").put("type", "integer").put("minimum", min).put("maximum", max);
    s.putArray("required").add("reason").add("score");
    s.put("additionalProperties", false);
    return s;
  }

  /** Common guard: no judge, failed task, judge failure all give undetermined. */
  static ScoreResult guard(String name, ScoringContext c) {
    if (c.judge() == null) {
      return ScoreResult.undetermined(name, "no judge model is configured");
    }
    if (c.output().failed()) {
      return ScoreResult.undetermined(name, "the task failed: " + c.output().error());
    }
    return null;
  }

  /** Pointwise rubric grading. */
  record Rubric(String name, String version, String rubric, int min, int max, boolean gEval,
      boolean withReference) implements Scorer {

    @Override
    public ScoreResult score(ScoringContext c) {
      ScoreResult stop = guard(name, c);
      if (stop != null) {
        return stop;
      }
      String reference = Texts.expected(c);
      if (withReference && reference == null) {
        return ScoreResult.undetermined(name, "reference-guided grading needs an expected output");
      }
      String prompt = new Prompts("You are grading an answer. Criteria: " + rubric
          + (withReference ? " Judge correctness against the reference answer." : "")
          + " Think about the criteria, then give a reason and an integer score from " + min
          + " (worst) to " + max + " (best) as JSON {\"reason\", \"score\"}.")
          .section("question", Texts.question(c))
          .section("reference", withReference ? reference : null)
          .section("candidate", Texts.output(c) == null ? "" : Texts.output(c))
          .build();
      try {
        Judge.JudgeReply reply = c.judge().ask(prompt, scoreSchema(min, max), gEval);
        int raw = reply.json().path("score").asInt();
        double s = raw;
        String how = "judge score " + raw + " of " + min + ".." + max;
        if (gEval) {
          double weighted = GEval.weightedScore(reply.logprobs(), raw, min, max);
          if (!Double.isNaN(weighted)) {
            s = weighted;
            how = "probability-weighted score " + String.format("%.3f", weighted) + " of "
                + min + ".." + max + " (raw " + raw + ")";
          } else {
            how += " (no log-probabilities, raw score used)";
          }
        }
        double v = (s - min) / (max - min);
        return new ScoreResult(name, v, null, how + ": " + reply.json().path("reason").asText());
      } catch (Judge.JudgeException e) {
        return ScoreResult.undetermined(name, e.getMessage());
      }
    }
  }

  /** Pairwise comparison, asked in both orders; a win counts only when both orders agree. */
  record Pairwise(String name, String rubric) implements Scorer {

    @Override
    public String version() {
      return "pairwise/1";
    }

    @Override
    public ScoreResult score(ScoringContext c) {
      ScoreResult stop = guard(name, c);
      if (stop != null) {
        return stop;
      }
      JsonNode md = c.item().metadata();
      String baseline = md != null && md.path("baseline").isTextual()
          ? md.get("baseline").asText() : Texts.expected(c);
      if (baseline == null) {
        return ScoreResult.undetermined(name, "pairwise needs a baseline answer (metadata "
            + "'baseline' or the expected output)");
      }
      String cand = Texts.output(c) == null ? "" : Texts.output(c);
      return compare(name, c.judge(), rubric, Texts.question(c), null, cand, baseline);
    }
  }

  /**
   * Compares {@code candidate} with {@code baseline} in both orders (win 1, loss 0, tie 0.5);
   * {@code reference}, when not null, is shown to the judge as the reference answer.
   */
  public static ScoreResult compare(String name, Judge judge, String rubric, String question,
      String reference, String candidate, String baseline) {
    try {
      String first = askPair(judge, rubric, question, reference, candidate, baseline);
      String second = askPair(judge, rubric, question, reference, baseline, candidate);
      return PairwiseMath.combine(name, first, second);
    } catch (Judge.JudgeException e) {
      return ScoreResult.undetermined(name, e.getMessage());
    }
  }

  private static String askPair(Judge judge, String rubric, String question, String reference,
      String a, String b) {
    String prompt = new Prompts("Compare two answers to the question. Criteria: " + rubric
        + " The first candidate section is answer A, the second is answer B. Do not let "
        + "their order or length sway you. Answer JSON {\"reason\", \"winner\": "
        + "\"A\"|\"B\"|\"tie\"}.")
        .section("question", question)
        .section("reference", reference)
        .section("candidate", a)
        .section("candidate", b)
        .build();
    ObjectNode s = MAPPER.createObjectNode();
    s.put("type", "object");
    ObjectNode props = s.putObject("properties");
    props.putObject("reason").put("type", "string");
    props.putObject("winner").put("type", "string").putArray("enum").add("A").add("B")
        .add("tie");
    s.putArray("required").add("reason").add("winner");
    s.put("additionalProperties", false);
    return judge.ask(prompt, s, false).json().path("winner").asText();
  }
}
