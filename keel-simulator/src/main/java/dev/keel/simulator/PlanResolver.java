package dev.keel.simulator;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Turns a request's directives and the scenario into a {@link Plan}.
 *
 * <p>Blocks apply in order and later keys override earlier ones. A block with {@code model=} or
 * {@code key=} applies only to matching requests. A block with {@code times=N} keeps its fault
 * and {@code json=invalid} for the first N matching requests only, counted per block text,
 * model and API key; its other keys stay in force.
 */
final class PlanResolver {

  private static final Set<String> KEYS = Set.of("usage", "prompt", "cached", "cache_write",
      "completion", "reasoning", "reply", "ttft_ms", "token_ms", "fault", "retry_after", "after",
      "json", "times", "model", "key", "tools", "parallel", "loop");
  private static final Set<String> COUNTED = Set.of("fault", "json", "retry_after", "after");

  private final Scenario scenario;
  private final Map<String, AtomicInteger> timesCounters = new ConcurrentHashMap<>();

  PlanResolver(Scenario scenario) {
    this.scenario = scenario;
  }

  Plan resolve(String model, String apiKey, List<Directive> directives) {
    Map<String, String> merged = directives.isEmpty() ? Map.of() : merge(model, apiKey,
        directives);
    Scenario.Sample sample = scenario.sample(model);
    String fault = merged.get("fault");
    return new Plan(
        merged.get("reply"),
        usage(merged),
        longValue(merged, "ttft_ms", sample.ttftMs()),
        longValue(merged, "token_ms", sample.tokenMs()),
        fault == null ? sample.fault() : Fault.parse(fault),
        (int) longValue(merged, "retry_after", 1),
        (int) longValue(merged, "after", 1),
        jsonInvalid(merged.get("json")),
        merged.containsKey("tools") ? ScriptedCall.parseList(merged.get("tools")) : List.of(),
        flag(merged, "parallel"),
        flag(merged, "loop"));
  }

  private Map<String, String> merge(String model, String apiKey, List<Directive> directives) {
    Map<String, String> merged = new HashMap<>();
    for (Directive d : directives) {
      checkKeys(d);
      if (d.has("model") && !d.get("model").equals(model)
          || d.has("key") && !d.get("key").equals(apiKey)) {
        continue;
      }
      Map<String, String> values = new HashMap<>(d.values());
      if (d.has("times") && (d.has("fault") || d.has("json"))
          && timesUsedUp(d, model, apiKey)) {
        values.keySet().removeAll(COUNTED);
      }
      merged.putAll(values);
    }
    return merged;
  }

  private boolean timesUsedUp(Directive d, String model, String apiKey) {
    long limit = parseLong("times", d.get("times"));
    String counterKey = d.text() + '\u0000' + model + '\u0000' + apiKey;
    int seen = timesCounters.computeIfAbsent(counterKey, k -> new AtomicInteger())
        .incrementAndGet();
    return seen > limit;
  }

  private static void checkKeys(Directive d) {
    for (String key : d.values().keySet()) {
      if (!KEYS.contains(key)) {
        throw new InvalidDirectiveException("unknown simulator directive key: " + key
            + " in " + d.text());
      }
    }
  }

  private static UsageSpec usage(Map<String, String> m) {
    if (m.isEmpty()) {
      return UsageSpec.NONE;
    }
    String usage = m.get("usage");
    if ("none".equals(usage)) {
      return UsageSpec.OMITTED;
    }
    if (usage != null && !usage.equals("true")) {
      throw new InvalidDirectiveException("usage takes prompt=N ... or the value none: "
          + usage);
    }
    return new UsageSpec(intOrNull(m, "prompt"), intOrNull(m, "cached"),
        intOrNull(m, "cache_write"), intOrNull(m, "completion"), intOrNull(m, "reasoning"),
        false);
  }

  private static boolean jsonInvalid(String json) {
    if (json == null) {
      return false;
    }
    if (!json.equals("invalid")) {
      throw new InvalidDirectiveException("json must be 'invalid': " + json);
    }
    return true;
  }

  private static boolean flag(Map<String, String> m, String key) {
    String v = m.get(key);
    if (v == null || v.equals("false")) {
      return false;
    }
    if (!v.equals("true")) {
      throw new InvalidDirectiveException(key + " must be true or false: " + v);
    }
    return true;
  }

  private static Integer intOrNull(Map<String, String> m, String key) {
    String v = m.get(key);
    return v == null ? null : (int) parseLong(key, v);
  }

  private static long longValue(Map<String, String> m, String key, long fallback) {
    String v = m.get(key);
    return v == null ? fallback : parseLong(key, v);
  }

  private static long parseLong(String key, String value) {
    try {
      long n = Long.parseLong(value);
      if (n < 0 || n > Integer.MAX_VALUE) {
        throw new InvalidDirectiveException(key + " must be a non-negative integer: " + value);
      }
      return n;
    } catch (NumberFormatException e) {
      throw new InvalidDirectiveException(key + " must be a non-negative integer: " + value);
    }
  }
}
