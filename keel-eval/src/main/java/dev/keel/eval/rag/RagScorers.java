package dev.keel.eval.rag;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keel.eval.Judge;
import dev.keel.eval.ScoreResult;
import dev.keel.eval.Scorer;
import dev.keel.eval.ScoringContext;
import dev.keel.eval.judge.Prompts;
import dev.keel.eval.score.MiniLm;
import dev.keel.eval.score.Options;
import dev.keel.eval.score.Texts;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * RAG metrics after RAGAS. The LLM metrics ask the judge for verdicts and hand them to
 * {@link RagMath}; a judge failure or a verdict list of the wrong length leaves the item
 * undetermined with the reason.
 */
public final class RagScorers {

  private RagScorers() {}

  /** A scorer whose body may throw JudgeException, turned into undetermined. */
  record Llm(String name, String version, boolean needsJudge,
      Function<ScoringContext, ScoreResult> fn) implements Scorer {

    @Override
    public ScoreResult score(ScoringContext c) {
      if (needsJudge && c.judge() == null) {
        return ScoreResult.undetermined(name, "no judge model is configured");
      }
      if (c.output().failed()) {
        return ScoreResult.undetermined(name, "the task failed: " + c.output().error());
      }
      try {
        return fn.apply(c);
      } catch (Judge.JudgeException e) {
        return ScoreResult.undetermined(name, e.getMessage());
      } catch (Undetermined e) {
        return ScoreResult.undetermined(name, e.getMessage());
      }
    }
  }

  /** Signals a metric that cannot tell, with why. */
  static final class Undetermined extends RuntimeException {
    Undetermined(String why) {
      super(why, null, false, false);
    }
  }

  public static Scorer faithfulness(Options o) {
    String name = o.scorer();
    return new Llm(name, "faithfulness/1", true, c -> {
      List<String> contexts = c.output().retrievedContexts();
      if (contexts.isEmpty()) {
        throw new Undetermined("the task retrieved no contexts");
      }
      List<String> statements = statements(c);
      if (statements.isEmpty()) {
        return ScoreResult.undetermined(name, "the answer makes no statements to check");
      }
      List<Integer> v = verdicts(c, "Judge whether each statement in <candidate> can be "
          + "directly inferred from <context>. Return one entry per statement, in order, with "
          + "verdict 1 when it can, 0 when it cannot.", String.join("\n", contexts),
          "context", statements, "verdicts", "verdict");
      return result(name, RagMath.faithfulness(v), v.stream().filter(x -> x == 1).count()
          + " of " + v.size() + " statements supported by the retrieved contexts");
    });
  }

  public static Scorer contextRecall(Options o) {
    String name = o.scorer();
    return new Llm(name, "context_recall/1", true, c -> {
      String ref = Texts.expected(c);
      if (ref == null) {
        throw new Undetermined("context recall needs the reference answer");
      }
      List<String> contexts = c.output().retrievedContexts();
      if (contexts.isEmpty()) {
        return new ScoreResult(name, 0.0, null, "the task retrieved no contexts");
      }
      String prompt = new Prompts("Split the answer in <reference> into sentences. For each, "
          + "say whether it can be attributed to <context> (attributed 1) or not (0).")
          .section("question", Texts.question(c))
          .section("context", String.join("\n", contexts))
          .section("reference", ref).build();
      JsonNode list = c.judge().ask(prompt, Schemas.verdictList("classifications",
          "attributed"), false).json().path("classifications");
      List<Integer> v = new ArrayList<>();
      list.forEach(n -> v.add(n.path("attributed").asInt()));
      return result(name, RagMath.contextRecall(v), v.stream().filter(x -> x == 1).count()
          + " of " + v.size() + " reference sentences attributed to the contexts");
    });
  }

  public static Scorer contextPrecision(Options o, boolean withReference) {
    String name = o.scorer();
    String version = withReference ? "context_precision/1"
        : "context_precision_without_reference/1";
    return new Llm(name, version, true, c -> {
      String answer = withReference ? Texts.expected(c) : Texts.output(c);
      if (answer == null) {
        throw new Undetermined(withReference ? "context precision needs the reference answer"
            : "the task gave no answer");
      }
      List<String> contexts = c.output().retrievedContexts();
      if (contexts.isEmpty()) {
        throw new Undetermined("the task retrieved no contexts");
      }
      List<Integer> v = new ArrayList<>();
      for (String ctx : contexts) {
        String prompt = new Prompts("Was <context> useful in arriving at the answer in <"
            + (withReference ? "reference" : "candidate") + ">? verdict 1 if yes, 0 if no.")
            .section("question", Texts.question(c))
            .section("context", ctx)
            .section(withReference ? "reference" : "candidate", answer).build();
        v.add(c.judge().ask(prompt, Schemas.verdict(), false).json().path("verdict").asInt());
      }
      return result(name, RagMath.averagePrecision(v), "usefulness by rank " + v);
    });
  }

  public static Scorer answerRelevancy(Options o) {
    String name = o.scorer();
    int strictness = (int) o.number("strictness", 3);
    if (strictness < 1) {
      throw new IllegalArgumentException("answer_relevancy.strictness must be positive: "
          + strictness);
    }
    return new Llm(name, "answer_relevancy/1 all-minilm-l6-v2-q", true, c -> {
      String answer = Texts.output(c);
      if (answer == null || answer.isBlank()) {
        throw new Undetermined("the task gave no answer");
      }
      float[] q = MiniLm.embed(Texts.question(c));
      List<Double> cos = new ArrayList<>();
      List<Boolean> evasive = new ArrayList<>();
      for (int i = 0; i < strictness; i++) {
        String prompt = new Prompts("Write the question that <candidate> answers. Set "
            + "noncommittal to 1 when the answer is evasive or vague (\"I don't know\"), else 0."
            + (i == 0 ? "" : " Variant " + (i + 1) + ": phrase it differently."))
            .section("candidate", answer).build();
        JsonNode g = c.judge().ask(prompt, Schemas.generatedQuestion(), false).json();
        String gen = g.path("question").asText("");
        evasive.add(g.path("noncommittal").asInt() == 1);
        if (!gen.isBlank()) {
          cos.add(MiniLm.dot(q, MiniLm.embed(gen)));
        }
      }
      return result(name, RagMath.answerRelevancy(cos, evasive), "mean cosine of "
          + cos.size() + " generated questions" + (evasive.stream().allMatch(b -> b)
          ? ", every generation noncommittal" : ""));
    });
  }

  public static Scorer nonLlmPrecision(Options o) {
    double t = o.number("threshold", 0.5);
    return new Llm(o.scorer(), "nonllm_context_precision/1", false, c -> result(o.scorer(),
        RagMath.nonLlmContextPrecision(c.output().retrievedContexts(), c.item().contexts(), t),
        "retrieved chunks similar (>= " + t + ") to a reference context, by rank"));
  }

  public static Scorer nonLlmRecall(Options o) {
    double t = o.number("threshold", 0.5);
    return new Llm(o.scorer(), "nonllm_context_recall/1", false, c -> result(o.scorer(),
        RagMath.nonLlmContextRecall(c.output().retrievedContexts(), c.item().contexts(), t),
        "reference contexts found (> " + t + ") among the retrieved chunks"));
  }

  private static List<String> statements(ScoringContext c) {
    String prompt = new Prompts("Rewrite each sentence of <candidate> as one or more "
        + "self-contained statements, pronouns resolved.")
        .section("question", Texts.question(c))
        .section("candidate", Texts.output(c) == null ? "" : Texts.output(c)).build();
    List<String> out = new ArrayList<>();
    c.judge().ask(prompt, Schemas.statements(), false).json().path("statements")
        .forEach(n -> {
          if (!n.asText().isBlank()) {
            out.add(n.asText());
          }
        });
    return out;
  }

  private static List<Integer> verdicts(ScoringContext c, String instruction, String premise,
      String premiseTag, List<String> statements, String list, String flag) {
    var sb = new StringBuilder();
    for (int i = 0; i < statements.size(); i++) {
      sb.append(i + 1).append(". ").append(statements.get(i)).append("\n");
    }
    String prompt = new Prompts(instruction).section(premiseTag, premise)
        .section("candidate", sb.toString()).build();
    JsonNode arr = c.judge().ask(prompt, Schemas.verdictList(list, flag), false).json()
        .path(list);
    if (arr.size() != statements.size()) {
      throw new Undetermined("the judge returned " + arr.size() + " verdicts for "
          + statements.size() + " statements");
    }
    List<Integer> v = new ArrayList<>();
    arr.forEach(n -> v.add(n.path(flag).asInt()));
    return v;
  }

  private static ScoreResult result(String name, double v, String reason) {
    return Double.isNaN(v) ? ScoreResult.undetermined(name, reason)
        : new ScoreResult(name, v, null, reason);
  }
}
