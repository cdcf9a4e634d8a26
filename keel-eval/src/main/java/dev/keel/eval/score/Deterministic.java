package dev.keel.eval.score;

import dev.keel.eval.ScoreResult;
import dev.keel.eval.Scorer;
import dev.keel.eval.ScoringContext;
import java.math.BigDecimal;
import java.util.Locale;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** The deterministic scorers: pure functions of the answer and the item. */
final class Deterministic {

  private Deterministic() {}

  static Scorer exactMatch(Options o) {
    boolean trim = o.flag("trim", false);
    boolean ignoreCase = o.flag("ignore_case", false);
    return scorer(o, "exact_match", c -> withExpected(o, c, "exact_match", (out, exp) -> {
      String a = trim ? out.strip() : out;
      String b = trim ? exp.strip() : exp;
      boolean eq = ignoreCase ? a.equalsIgnoreCase(b) : a.equals(b);
      return pass("exact_match", eq, eq ? "equal to the reference" : "differs from the reference");
    }));
  }

  static Scorer contains(Options o) {
    boolean ignoreCase = o.flag("ignore_case", false);
    String fixed = o.string("value", null);
    return scorer(o, "contains", c -> {
      String needle = fixed != null ? fixed : Texts.expected(c);
      String out = Texts.output(c);
      if (needle == null || out == null) {
        return ScoreResult.undetermined(o.scorer(), needle == null
            ? "no 'value' option and the item has no expected output" : "the answer is empty");
      }
      boolean hit = ignoreCase ? out.toLowerCase(Locale.ROOT)
          .contains(needle.toLowerCase(Locale.ROOT)) : out.contains(needle);
      return pass(o.scorer(), hit, (hit ? "contains " : "does not contain ") + quote(needle));
    });
  }

  static Scorer regex(Options o) {
    String re = o.has("regex") ? o.string("regex", null) : o.require("pattern");
    Pattern p;
    try {
      p = Pattern.compile(re);
    } catch (PatternSyntaxException e) {
      throw new IllegalArgumentException("scorer " + o.scorer() + ": invalid regex " + re + ": "
          + e.getDescription());
    }
    boolean full = o.flag("full_match", false);
    return scorer(o, "regex", c -> {
      String out = Texts.output(c);
      if (out == null) {
        return ScoreResult.undetermined(o.scorer(), "the answer is empty");
      }
      var m = p.matcher(out);
      boolean hit = full ? m.matches() : m.find();
      return pass(o.scorer(), hit, (hit ? "matches " : "does not match ") + re);
    });
  }

  static Scorer numeric(Options o) {
    double abs = o.number("tolerance", 0);
    double rel = o.number("relative_tolerance", 0);
    if (abs < 0 || rel < 0) {
      throw new IllegalArgumentException("scorer " + o.scorer()
          + ": tolerances must not be negative: " + abs + ", " + rel);
    }
    return scorer(o, "numeric", c -> withExpected(o, c, o.scorer(), (out, exp) -> {
      BigDecimal got = firstNumber(out);
      BigDecimal want = firstNumber(exp);
      if (got == null || want == null) {
        return got == null ? new ScoreResult(o.scorer(), 0.0, "fail", "no number in the answer")
            : ScoreResult.undetermined(o.scorer(), "no number in the reference");
      }
      double diff = got.subtract(want).abs().doubleValue();
      boolean ok = diff <= abs || diff <= rel * want.abs().doubleValue();
      return pass(o.scorer(), ok, got.toPlainString() + " vs " + want.toPlainString()
          + " (difference " + diff + ")");
    }));
  }

  static Scorer stringSimilarity(Options o) {
    return similarity(o, "string_similarity", TextMetrics::levenshteinSimilarity);
  }

  static Scorer bleu(Options o) {
    return similarity(o, "bleu", TextMetrics::bleu);
  }

  static Scorer rougeL(Options o) {
    String m = o.string("mode", "fmeasure");
    TextMetrics.RougeMode mode;
    try {
      mode = TextMetrics.RougeMode.valueOf(m.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(o.scorer() + ".mode must be fmeasure, precision or "
          + "recall: " + m);
    }
    return similarity(o, "rouge_l", (a, b) -> TextMetrics.rougeL(a, b, mode));
  }

  static Scorer latency(Options o) {
    double max = o.has("max_ms") ? o.number("max_ms", 0) : o.number("threshold", -1);
    if (max < 0) {
      throw new IllegalArgumentException("scorer " + o.scorer() + " needs option 'max_ms'");
    }
    return scorer(o, "latency", c -> {
      long ms = c.output().latencyMs();
      return pass(o.scorer(), ms <= max, ms + " ms against at most " + (long) max + " ms");
    });
  }

  static Scorer cost(Options o) {
    String max = o.has("max_usd") ? o.string("max_usd", null) : o.string("threshold", null);
    if (max == null) {
      throw new IllegalArgumentException("scorer " + o.scorer() + " needs option 'max_usd'");
    }
    BigDecimal limit;
    try {
      limit = new BigDecimal(max.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(o.scorer() + ".max_usd must be a number: " + max);
    }
    return scorer(o, "cost", c -> {
      BigDecimal cost = c.output().costUsd();
      if (cost == null) {
        return ScoreResult.undetermined(o.scorer(), "the task's cost is unknown");
      }
      return pass(o.scorer(), cost.compareTo(limit) <= 0, "$" + cost.toPlainString()
          + " against at most $" + limit.toPlainString());
    });
  }

  private static Scorer similarity(Options o, String kind, TextPair metric) {
    double threshold = o.number("threshold", Double.NaN);
    return scorer(o, kind, c -> withExpected(o, c, o.scorer(), (out, exp) -> {
      double v = metric.apply(out, exp);
      String label = Double.isNaN(threshold) ? null : v >= threshold ? "pass" : "fail";
      return new ScoreResult(o.scorer(), v, label, kind + " against the reference");
    }));
  }

  /** A metric over (answer, reference). */
  interface TextPair {
    double apply(String output, String expected);
  }

  /** A verdict over (answer, reference). */
  interface Verdict {
    ScoreResult apply(String output, String expected);
  }

  static ScoreResult withExpected(Options o, ScoringContext c, String name, Verdict v) {
    String exp = Texts.expected(c);
    if (exp == null) {
      return ScoreResult.undetermined(name, "the item has no expected output");
    }
    String out = Texts.output(c);
    return v.apply(out == null ? "" : out, exp);
  }

  static Scorer scorer(Options o, String kind, Function<ScoringContext, ScoreResult> fn) {
    return new FnScorer(o.scorer(), kind + "/1", fn);
  }

  static ScoreResult pass(String name, boolean ok, String reason) {
    return new ScoreResult(name, ok ? 1.0 : 0.0, ok ? "pass" : "fail", reason);
  }

  private static final Pattern NUMBER = Pattern.compile("[-+]?\\d[\\d,]*(\\.\\d+)?([eE][-+]?\\d+)?"
      + "|[-+]?\\.\\d+");

  static BigDecimal firstNumber(String s) {
    var m = NUMBER.matcher(s);
    if (!m.find()) {
      return null;
    }
    try {
      return new BigDecimal(m.group().replace(",", ""));
    } catch (NumberFormatException e) {
      return null;
    }
  }

  static String quote(String s) {
    return "'" + (s.length() > 60 ? s.substring(0, 60) + "..." : s) + "'";
  }
}
