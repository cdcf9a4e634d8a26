package dev.keel.eval.score;

import dev.keel.eval.Scorer;
import dev.keel.eval.judge.JudgeScorers;
import dev.keel.eval.rag.RagScorers;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The built-in scorers by name, as an evaluation file names them. Options come from the file;
 * {@code name} in the options renames the stored score (default: the scorer's name).
 *
 * <p>Deterministic: {@code exact_match} (trim, ignore_case), {@code contains} (value,
 * ignore_case), {@code regex} (regex, full_match), {@code json_valid}, {@code json_schema}
 * (schema), {@code numeric} (tolerance, relative_tolerance), {@code string_similarity},
 * {@code bleu}, {@code rouge_l} (mode: fmeasure|precision|recall), {@code latency} (max_ms),
 * {@code cost} (max_usd), {@code tool_call_match} (ordered: true|false), {@code
 * tool_call_match_unordered}. Embedding: {@code embedding_similarity}. Judge (need a judge):
 * {@code rubric} (rubric, min, max), {@code g_eval} (rubric, min, max; log-probability
 * weighted), {@code reference_guided} (rubric, min, max), {@code pairwise} (baseline answer
 * from the item's expected output or metadata {@code baseline}). RAG: {@code faithfulness},
 * {@code answer_relevancy} (strictness), {@code context_precision}, {@code
 * context_precision_without_reference}, {@code context_recall}, {@code
 * nonllm_context_precision} and {@code nonllm_context_recall} (threshold). Similarity scorers
 * accept {@code threshold}, which labels a score pass or fail without changing it. An option
 * a scorer does not read is an error naming the options it does.
 */
public final class Scorers {

  private static final Map<String, Function<Options, Scorer>> BUILT_IN = Map.ofEntries(
      Map.entry("exact_match", Deterministic::exactMatch),
      Map.entry("contains", Deterministic::contains),
      Map.entry("regex", Deterministic::regex),
      Map.entry("json_valid", JsonScorers::valid),
      Map.entry("json_schema", JsonScorers::schema),
      Map.entry("numeric", Deterministic::numeric),
      Map.entry("string_similarity", Deterministic::stringSimilarity),
      Map.entry("bleu", Deterministic::bleu),
      Map.entry("rouge_l", Deterministic::rougeL),
      Map.entry("latency", Deterministic::latency),
      Map.entry("cost", Deterministic::cost),
      Map.entry("tool_call_match",
          o -> new ToolCallMatch(o.scorer(), o.flag("ordered", true))),
      Map.entry("tool_call_match_unordered", o -> new ToolCallMatch(o.scorer(), false)),
      Map.entry("embedding_similarity", EmbeddingSimilarity::new),
      Map.entry("rubric", o -> JudgeScorers.rubric(o, false, false)),
      Map.entry("g_eval", o -> JudgeScorers.rubric(o, true, false)),
      Map.entry("reference_guided", o -> JudgeScorers.rubric(o, false, true)),
      Map.entry("pairwise", JudgeScorers::pairwise),
      Map.entry("faithfulness", RagScorers::faithfulness),
      Map.entry("answer_relevancy", RagScorers::answerRelevancy),
      Map.entry("context_precision", o -> RagScorers.contextPrecision(o, true)),
      Map.entry("context_precision_without_reference",
          o -> RagScorers.contextPrecision(o, false)),
      Map.entry("context_recall", RagScorers::contextRecall),
      Map.entry("nonllm_context_precision", RagScorers::nonLlmPrecision),
      Map.entry("nonllm_context_recall", RagScorers::nonLlmRecall));

  /** The options each built-in reads (besides {@code name}); any other is a mistake. */
  private static final Map<String, Set<String>> OPTIONS = Map.ofEntries(
      Map.entry("exact_match", Set.of("trim", "ignore_case")),
      Map.entry("contains", Set.of("value", "ignore_case")),
      Map.entry("regex", Set.of("regex", "pattern", "full_match")),
      Map.entry("json_schema", Set.of("schema")),
      Map.entry("numeric", Set.of("tolerance", "relative_tolerance")),
      Map.entry("string_similarity", Set.of("threshold")),
      Map.entry("bleu", Set.of("threshold")),
      Map.entry("rouge_l", Set.of("mode", "threshold")),
      Map.entry("latency", Set.of("max_ms", "threshold")),
      Map.entry("cost", Set.of("max_usd", "threshold")),
      Map.entry("tool_call_match", Set.of("ordered")),
      Map.entry("embedding_similarity", Set.of("threshold")),
      Map.entry("rubric", Set.of("rubric", "min", "max")),
      Map.entry("g_eval", Set.of("rubric", "min", "max")),
      Map.entry("reference_guided", Set.of("rubric", "min", "max")),
      Map.entry("pairwise", Set.of("rubric")),
      Map.entry("answer_relevancy", Set.of("strictness")),
      Map.entry("nonllm_context_precision", Set.of("threshold")),
      Map.entry("nonllm_context_recall", Set.of("threshold")));

  private Scorers() {}

  /**
   * The built-in scorer {@code name} configured by {@code options}; throws
   * {@link IllegalArgumentException} naming the unknown scorer or the bad option.
   */
  public static Scorer byName(String name, Map<String, Object> options) {
    Function<Options, Scorer> factory = BUILT_IN.get(name);
    if (factory == null) {
      for (ScorerProvider p : java.util.ServiceLoader.load(ScorerProvider.class)) {
        if (p.names().contains(name)) {
          return p.create(name, options == null ? Map.of() : options).orElseThrow(
              () -> new IllegalArgumentException("unknown scorer: " + name));
        }
      }
      throw new IllegalArgumentException("unknown scorer: " + name + " (available: "
          + String.join(", ", names()) + ")");
    }
    Map<String, Object> opts = options == null ? Map.of() : options;
    Set<String> allowed = OPTIONS.getOrDefault(name, Set.of());
    for (String key : opts.keySet()) {
      if (!key.equals("name") && !allowed.contains(key)) {
        throw new IllegalArgumentException("scorer " + name + ": unknown option '" + key
            + "' (allowed: " + String.join(", ", new TreeSet<>(withName(allowed))) + ")");
      }
    }
    Object rename = opts.get("name");
    return factory.apply(new Options(rename == null ? name : rename.toString(), opts));
  }

  private static Set<String> withName(Set<String> allowed) {
    Set<String> all = new TreeSet<>(allowed);
    all.add("name");
    return all;
  }

  /** Every scorer's name, built-in and from {@link ScorerProvider}s, sorted. */
  public static TreeSet<String> names() {
    TreeSet<String> all = new TreeSet<>(BUILT_IN.keySet());
    java.util.ServiceLoader.load(ScorerProvider.class).forEach(p -> all.addAll(p.names()));
    return all;
  }
}
