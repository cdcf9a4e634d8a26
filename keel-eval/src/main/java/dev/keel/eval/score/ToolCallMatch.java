package dev.keel.eval.score;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keel.eval.ScoreResult;
import dev.keel.eval.Scorer;
import dev.keel.eval.ScoringContext;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Tool-call match: the calls the model made against the expected ones, by name and arguments.
 *
 * <p>Expected calls come from the item's metadata {@code tool_calls}, or its expected output
 * when that is an array (or an object with {@code tool_calls}). Each expected call is either
 * {@code {"name": N, "arguments": {...}}} (each argument must equal) or BFCL's ground-truth form
 * {@code {N: {"param": [acceptable values...]}}}, where a list of acceptable values is matched by
 * any member and {@code ""} in it means the parameter may be omitted. An argument the model sent
 * that the expected call does not know fails the call. Numbers compare by value (5 equals 5.0),
 * strings exactly.
 *
 * <p>Ordered mode pairs calls by position; unordered mode finds the best one-to-one assignment
 * (greedy over a small list, which is exact when each call matches at most one expected call).
 * Score = matched calls / max(expected, made), so missing and extra calls both cost.
 */
public final class ToolCallMatch implements Scorer {

  /** One expected call: the name and, per parameter, its acceptable values. */
  public record Expected(String name, Map<String, List<JsonNode>> acceptable) {}

  private final String name;
  private final boolean ordered;

  public ToolCallMatch(String name, boolean ordered) {
    this.name = name;
    this.ordered = ordered;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String version() {
    return "tool_call_match/1";
  }

  @Override
  public ScoreResult score(ScoringContext c) {
    if (c.output().failed()) {
      return ScoreResult.undetermined(name, "the task failed: " + c.output().error());
    }
    JsonNode spec = expectedSpec(c);
    if (spec == null) {
      return ScoreResult.undetermined(name, "the item names no expected tool calls");
    }
    List<Expected> expected = parseExpected(spec);
    return score(expected, c.output().toolCalls());
  }

  /** Scores {@code made} calls ({@code {"name", "arguments"}}) against {@code expected}. */
  public ScoreResult score(List<Expected> expected, List<JsonNode> made) {
    if (expected.isEmpty() && made.isEmpty()) {
      return new ScoreResult(name, 1.0, "pass", "no tool calls expected and none made");
    }
    int matched = 0;
    List<String> problems = new ArrayList<>();
    if (ordered) {
      for (int i = 0; i < Math.min(expected.size(), made.size()); i++) {
        String why = mismatch(expected.get(i), made.get(i));
        if (why == null) {
          matched++;
        } else {
          problems.add("call " + (i + 1) + ": " + why);
        }
      }
    } else {
      List<JsonNode> left = new ArrayList<>(made);
      for (Expected e : expected) {
        String firstWhy = null;
        boolean found = false;
        for (Iterator<JsonNode> it = left.iterator(); it.hasNext();) {
          String why = mismatch(e, it.next());
          if (why == null) {
            it.remove();
            found = true;
            break;
          }
          firstWhy = firstWhy == null ? why : firstWhy;
        }
        if (found) {
          matched++;
        } else {
          problems.add(e.name() + ": " + (firstWhy == null ? "not called" : firstWhy));
        }
      }
    }
    int denom = Math.max(expected.size(), made.size());
    if (made.size() != expected.size()) {
      problems.add(made.size() + " calls made, " + expected.size() + " expected");
    }
    double v = (double) matched / denom;
    String reason = problems.isEmpty() ? "all " + matched + " calls match"
        : String.join("; ", problems);
    return new ScoreResult(name, v, v == 1.0 ? "pass" : "fail", reason);
  }

  /** Null when {@code call} satisfies {@code e}, else what differs. */
  static String mismatch(Expected e, JsonNode call) {
    String called = call.path("name").asText();
    if (!e.name().equals(called)) {
      return "called " + called + ", expected " + e.name();
    }
    JsonNode args = arguments(call);
    if (args == null) {
      return "arguments of " + called + " are not a JSON object";
    }
    for (var p : e.acceptable().entrySet()) {
      JsonNode got = args.get(p.getKey());
      if (got == null || got.isNull()) {
        if (!p.getValue().stream().anyMatch(v -> v.isTextual() && v.asText().isEmpty())) {
          return e.name() + " misses argument " + p.getKey();
        }
        continue;
      }
      if (p.getValue().stream().noneMatch(v -> same(v, got))) {
        return e.name() + "." + p.getKey() + " = " + got + ", acceptable " + p.getValue();
      }
    }
    for (Iterator<String> it = args.fieldNames(); it.hasNext();) {
      String k = it.next();
      if (!e.acceptable().containsKey(k)) {
        return e.name() + " got unexpected argument " + k;
      }
    }
    return null;
  }

  /** JSON equality where numbers compare by value, recursively. */
  static boolean same(JsonNode a, JsonNode b) {
    if (a.isNumber() && b.isNumber()) {
      return a.decimalValue().compareTo(b.decimalValue()) == 0;
    }
    if (a.isArray() && b.isArray()) {
      if (a.size() != b.size()) {
        return false;
      }
      for (int i = 0; i < a.size(); i++) {
        if (!same(a.get(i), b.get(i))) {
          return false;
        }
      }
      return true;
    }
    if (a.isObject() && b.isObject()) {
      if (a.size() != b.size()) {
        return false;
      }
      for (Iterator<String> it = a.fieldNames(); it.hasNext();) {
        String k = it.next();
        if (!b.has(k) || !same(a.get(k), b.get(k))) {
          return false;
        }
      }
      return true;
    }
    return a.equals(b);
  }

  /** The call's arguments as an object; OpenAI sends them as a JSON string. */
  static JsonNode arguments(JsonNode call) {
    JsonNode a = call.path("arguments");
    if (a.isTextual()) {
      try {
        a = Options.MAPPER.readTree(a.asText());
      } catch (java.io.IOException e) {
        return null;
      }
    }
    if (a.isMissingNode() || a.isNull()) {
      return Options.MAPPER.createObjectNode();
    }
    return a.isObject() ? a : null;
  }

  private static JsonNode expectedSpec(ScoringContext c) {
    JsonNode md = c.item().metadata();
    if (md != null && md.has("tool_calls")) {
      return md.get("tool_calls");
    }
    if (md != null && md.has("ground_truth")) {
      return md.get("ground_truth");
    }
    JsonNode exp = c.item().expectedOutput();
    if (exp == null) {
      return null;
    }
    if (exp.isObject() && exp.has("tool_calls")) {
      return exp.get("tool_calls");
    }
    if (exp.isObject() && exp.has("ground_truth")) {
      return exp.get("ground_truth");
    }
    return exp.isArray() ? exp : null;
  }

  /** Reads expected calls in either accepted form; throws naming the bad entry. */
  public static List<Expected> parseExpected(JsonNode spec) {
    if (!spec.isArray()) {
      throw new IllegalArgumentException("expected tool calls must be a JSON array: " + spec);
    }
    List<Expected> out = new ArrayList<>();
    for (JsonNode call : spec) {
      if (call.path("name").isTextual()) {
        Map<String, List<JsonNode>> acc = new LinkedHashMap<>();
        JsonNode args = arguments(call);
        if (args == null) {
          throw new IllegalArgumentException("expected call arguments are not an object: " + call);
        }
        args.fields().forEachRemaining(f -> acc.put(f.getKey(), List.of(f.getValue())));
        out.add(new Expected(call.get("name").asText(), acc));
      } else if (call.isObject() && call.size() == 1) {
        var f = call.fields().next();
        out.add(new Expected(f.getKey(), acceptableValues(f.getValue())));
      } else {
        throw new IllegalArgumentException("an expected tool call must be {\"name\", "
            + "\"arguments\"} or {name: {param: [values]}}: " + call);
      }
    }
    return out;
  }

  private static Map<String, List<JsonNode>> acceptableValues(JsonNode params) {
    Map<String, List<JsonNode>> acc = new LinkedHashMap<>();
    if (!(params instanceof ObjectNode)) {
      throw new IllegalArgumentException("parameters must be an object: " + params);
    }
    params.fields().forEachRemaining(f -> {
      List<JsonNode> vals = new ArrayList<>();
      if (f.getValue().isArray()) {
        f.getValue().forEach(vals::add);
      } else {
        vals.add(f.getValue());
      }
      acc.put(f.getKey(), List.copyOf(vals));
    });
    return acc;
  }
}
