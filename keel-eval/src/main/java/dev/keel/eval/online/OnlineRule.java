package dev.keel.eval.online;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keel.eval.Scorer;
import dev.keel.eval.run.EvalFile;
import dev.keel.eval.score.Scorers;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * An online evaluation rule: which live traces (filter), what share of them (sample rate,
 * decided per trace id so a re-delivered trace gets the same answer), how to score them (the
 * scorer specs of evaluation files, with a judge model for LLM-as-judge and RAG scorers), how
 * long to wait for late updates, and how much judging may cost a day.
 *
 * @param delaySeconds a trace is scored once it has had no update for this long
 * @param maxDailyCostUsd judge spend a UTC day may reach before the rule pauses until the next
 *     day; null for no cap
 */
public record OnlineRule(String name, RuleFilter filter, double sampleRate,
    List<EvalFile.ScorerSpec> scorers, String judgeModel, int delaySeconds,
    BigDecimal maxDailyCostUsd, boolean enabled) {

  /** Built-in scorers that ask a judge, and so need {@code judge}. */
  static final Set<String> JUDGE_SCORERS = Set.of("rubric", "g_eval", "reference_guided",
      "pairwise", "faithfulness", "answer_relevancy", "context_precision",
      "context_precision_without_reference", "context_recall");
  static final int DEFAULT_DELAY_SECONDS = 10;
  private static final int MAX_DELAY_SECONDS = 86_400;
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,100}");
  private static final Set<String> KEYS = Set.of("name", "filter", "sample_rate", "scorers",
      "judge", "delay_seconds", "max_daily_cost_usd", "enabled");
  private static final Set<String> SCORER_KEYS = Set.of("name", "options");
  private static final ObjectMapper JSON = new ObjectMapper();

  public OnlineRule {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(filter, "filter");
    scorers = List.copyOf(scorers);
  }

  /**
   * Reads a rule from its mapping (keel.yaml or the API's JSON) and checks that every scorer
   * can be built. Errors are {@link IllegalArgumentException}s naming the field under
   * {@code where} (for example {@code online_eval.rules[0].sample_rate}).
   */
  public static OnlineRule parse(JsonNode n, String where) {
    if (n == null || !n.isObject()) {
      throw new IllegalArgumentException(where + " must be a mapping with name and scorers");
    }
    String p = where.isEmpty() ? "" : where + ".";
    for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
      String k = it.next();
      if (!KEYS.contains(k)) {
        throw new IllegalArgumentException("unknown key " + p + k + "; allowed: "
            + KEYS.stream().sorted().toList());
      }
    }
    String name = name(n.get("name"), p + "name");
    List<EvalFile.ScorerSpec> scorers = scorers(n.get("scorers"), p + "scorers");
    String judge = judge(n.get("judge"), p + "judge");
    for (int i = 0; i < scorers.size(); i++) {
      if (judge == null && JUDGE_SCORERS.contains(scorers.get(i).name())) {
        throw new IllegalArgumentException(p + "judge is required: " + p + "scorers[" + i
            + "] (" + scorers.get(i).name() + ") asks a judge model, e.g. judge: {model: "
            + "gpt-4o-mini}");
      }
    }
    return new OnlineRule(name, RuleFilter.parse(n.get("filter"), p + "filter"),
        rate(n.get("sample_rate"), p + "sample_rate"), scorers, judge,
        delay(n.get("delay_seconds"), p + "delay_seconds"),
        cost(n.get("max_daily_cost_usd"), p + "max_daily_cost_usd"),
        bool(n.get("enabled"), p + "enabled"));
  }

  /** The scorers, built (they are stateless and thread-safe, so built once per rule). */
  public List<Scorer> buildScorers() {
    return scorers.stream().map(s -> Scorers.byName(s.name(), s.options())).toList();
  }

  /** The same rule, on or off. */
  public OnlineRule withEnabled(boolean on) {
    return new OnlineRule(name, filter, sampleRate, scorers, judgeModel, delaySeconds,
        maxDailyCostUsd, on);
  }

  /** The rule as its mapping, in the form {@link #parse} reads. */
  public ObjectNode toJson() {
    ObjectNode n = JSON.createObjectNode();
    n.put("name", name);
    n.set("filter", filter.toJson());
    n.put("sample_rate", sampleRate);
    var list = n.putArray("scorers");
    for (EvalFile.ScorerSpec s : scorers) {
      ObjectNode o = list.addObject().put("name", s.name());
      if (!s.options().isEmpty()) {
        o.set("options", JSON.valueToTree(s.options()));
      }
    }
    if (judgeModel != null) {
      n.putObject("judge").put("model", judgeModel);
    }
    n.put("delay_seconds", delaySeconds);
    if (maxDailyCostUsd != null) {
      n.put("max_daily_cost_usd", maxDailyCostUsd);
    }
    n.put("enabled", enabled);
    return n;
  }

  private static String name(JsonNode v, String where) {
    if (v == null || !v.isTextual() || !NAME.matcher(v.asText()).matches()) {
      throw new IllegalArgumentException(where + " must be 1 to 100 letters, digits or . _ -: "
          + (v == null ? "missing" : v));
    }
    return v.asText();
  }

  private static List<EvalFile.ScorerSpec> scorers(JsonNode v, String where) {
    if (v == null || !v.isArray() || v.isEmpty()) {
      throw new IllegalArgumentException(where + " must list at least one scorer");
    }
    var out = new ArrayList<EvalFile.ScorerSpec>();
    var names = new HashSet<String>();
    for (int i = 0; i < v.size(); i++) {
      String at = where + "[" + i + "]";
      JsonNode s = v.get(i);
      if (s.isObject()) {
        for (Iterator<String> it = s.fieldNames(); it.hasNext(); ) {
          String k = it.next();
          if (!SCORER_KEYS.contains(k)) {
            throw new IllegalArgumentException("unknown key " + at + "." + k + "; allowed: "
                + SCORER_KEYS.stream().sorted().toList() + " (thresholds belong to evaluation"
                + " files)");
          }
        }
      }
      EvalFile.ScorerSpec spec = EvalFile.ScorerSpec.parse(s, at);
      Scorer built;
      try {
        built = Scorers.byName(spec.name(), spec.options());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(at + ": " + e.getMessage(), e);
      }
      if (!names.add(built.name())) {
        throw new IllegalArgumentException(at + ": score name " + built.name() + " is used"
            + " twice in the rule; rename one with options: {name: ...}");
      }
      out.add(spec);
    }
    return out;
  }

  private static String judge(JsonNode v, String where) {
    if (v == null || v.isNull()) {
      return null;
    }
    JsonNode model = v.isObject() ? v.get("model") : v;
    if (v.isObject()) {
      for (Iterator<String> it = v.fieldNames(); it.hasNext(); ) {
        String k = it.next();
        if (!k.equals("model")) {
          throw new IllegalArgumentException("unknown key " + where + "." + k
              + "; allowed: [model]");
        }
      }
    }
    if (model == null || !model.isTextual() || model.asText().isBlank()) {
      throw new IllegalArgumentException(where + " must be a model name or {model: NAME}: " + v);
    }
    return model.asText().strip();
  }

  private static double rate(JsonNode v, String where) {
    if (v == null || v.isNull()) {
      return 1.0;
    }
    if (!v.isNumber() || v.asDouble() < 0 || v.asDouble() > 1 || Double.isNaN(v.asDouble())) {
      throw new IllegalArgumentException(where + " must be a number from 0 to 1: " + v);
    }
    return v.asDouble();
  }

  private static int delay(JsonNode v, String where) {
    if (v == null || v.isNull()) {
      return DEFAULT_DELAY_SECONDS;
    }
    if (!v.canConvertToExactIntegral() || v.asLong() < 0 || v.asLong() > MAX_DELAY_SECONDS) {
      throw new IllegalArgumentException(where + " must be a whole number of seconds from 0 to "
          + MAX_DELAY_SECONDS + ": " + v);
    }
    return v.asInt();
  }

  private static BigDecimal cost(JsonNode v, String where) {
    if (v == null || v.isNull()) {
      return null;
    }
    BigDecimal d;
    try {
      d = v.isNumber() ? v.decimalValue() : v.isTextual() ? new BigDecimal(v.asText().strip())
          : null;
    } catch (NumberFormatException e) {
      d = null;
    }
    if (d == null || d.signum() < 0) {
      throw new IllegalArgumentException(where + " must be a non-negative amount in USD: " + v);
    }
    return new BigDecimal(d.stripTrailingZeros().toPlainString());
  }

  private static boolean bool(JsonNode v, String where) {
    if (v == null || v.isNull()) {
      return true;
    }
    if (!v.isBoolean()) {
      throw new IllegalArgumentException(where + " must be true or false: " + v);
    }
    return v.asBoolean();
  }
}
