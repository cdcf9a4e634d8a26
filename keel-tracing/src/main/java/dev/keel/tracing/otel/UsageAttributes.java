package dev.keel.tracing.otel;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keel.core.cost.Cost;
import dev.keel.core.usage.Usage;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Usage and cost of a span under Keel's usage keys (CONTRACTS.md). Sources, first found wins:
 * {@code langfuse.observation.usage_details}, then {@code gen_ai.usage.*}, then OpenInference's
 * {@code llm.token_count.*}. Provider-style totals are split so nothing is counted twice:
 * {@code input} is the prompt total less cache reads and writes, {@code output} the completion
 * total less reasoning.
 */
final class UsageAttributes {

  private static final List<String> PROMPT = List.of("input_tokens", "prompt_tokens", "prompt");
  private static final List<String> COMPLETION =
      List.of("output_tokens", "completion_tokens", "completion");
  private static final List<String> TOTAL = List.of("total_tokens", "total");
  private static final List<String> CACHE_READ = List.of("cache_read.input_tokens",
      "cache_read_input_tokens", "cache_read_tokens", "prompt_details.cache_read",
      "input_tokens_details.cached_tokens", "prompt_tokens_details.cached_tokens",
      "input_cached_tokens");
  private static final List<String> CACHE_WRITE = List.of("cache_creation.input_tokens",
      "cache_creation_input_tokens", "cache_write_tokens", "prompt_details.cache_write",
      "input_cache_creation");
  private static final List<String> REASONING = List.of("reasoning.output_tokens",
      "completion_details.reasoning", "output_tokens_details.reasoning_tokens",
      "completion_tokens_details.reasoning_tokens", "output_reasoning_tokens");
  private static final Set<String> PROVIDER_TOTALS = Set.of("input_tokens", "prompt_tokens",
      "prompt", "output_tokens", "completion_tokens", "completion");

  private UsageAttributes() {}

  /** The span's usage; {@link Usage#NONE} when it reports none. */
  static Usage usage(Attributes a, List<String> warnings, String span) {
    JsonNode details = a.json("langfuse.observation.usage_details");
    if (details != null) {
      if (details.isObject()) {
        return fromCounts(flatten(details), warnings, span);
      }
      warnings.add(span + ": langfuse.observation.usage_details is not a JSON object; ignored");
    }
    var genAi = a.withPrefix("gen_ai.usage.");
    genAi.remove("cost");
    if (!genAi.isEmpty()) {
      return fromCounts(genAi, warnings, span);
    }
    return fromCounts(a.withPrefix("llm.token_count."), warnings, span);
  }

  /** Cost the client sent, or null: cost_details, else gen_ai.usage.cost, else llm.cost.total. */
  static Cost providedCost(Attributes a, List<String> warnings, String span) {
    JsonNode details = a.json("langfuse.observation.cost_details");
    if (details != null) {
      if (details.isObject()) {
        return costFrom(details, warnings, span);
      }
      warnings.add(span + ": langfuse.observation.cost_details is not a JSON object; ignored");
    }
    for (String key : List.of("gen_ai.usage.cost", "llm.cost.total")) {
      BigDecimal total = decimal(a.json(key));
      if (total != null) {
        return new Cost(Map.of(Cost.TOTAL, total));
      }
    }
    return null;
  }

  private static Usage fromCounts(Map<String, JsonNode> raw, List<String> warnings,
      String span) {
    var counts = new LinkedHashMap<String, Long>();
    raw.forEach((k, v) -> {
      Long n = count(v);
      if (n == null) {
        warnings.add(span + ": usage '" + k + "' is not a non-negative integer; ignored");
      } else {
        counts.put(k, n);
      }
    });
    if (counts.isEmpty()) {
      return Usage.NONE;
    }
    if (counts.keySet().stream().noneMatch(PROVIDER_TOTALS::contains)) {
      return new Usage(counts, false);
    }
    return split(counts);
  }

  // Provider-style totals: detail counts are taken out of them, the rest passes through.
  private static Usage split(Map<String, Long> counts) {
    long prompt = take(counts, PROMPT);
    long completion = take(counts, COMPLETION);
    Long total = takeOrNull(counts, TOTAL);
    long cacheRead = take(counts, CACHE_READ);
    long cacheWrite = take(counts, CACHE_WRITE);
    long reasoning = take(counts, REASONING);
    Usage base = Usage.fromTotals(prompt, cacheRead, cacheWrite, 0, completion, reasoning, 0,
        false);
    var m = new LinkedHashMap<>(base.details());
    if (total != null) {
      m.put(Usage.TOTAL, total);
    }
    counts.forEach(m::putIfAbsent);
    return new Usage(m, false);
  }

  private static long take(Map<String, Long> counts, List<String> keys) {
    Long v = takeOrNull(counts, keys);
    return v == null ? 0 : v;
  }

  private static Long takeOrNull(Map<String, Long> counts, List<String> keys) {
    Long found = null;
    for (String k : keys) {
      Long v = counts.remove(k);
      if (found == null) {
        found = v;
      }
    }
    return found;
  }

  // The OpenAI forms nest details one level: {"prompt_tokens_details": {"cached_tokens": 3}}.
  private static Map<String, JsonNode> flatten(JsonNode obj) {
    var m = new LinkedHashMap<String, JsonNode>();
    obj.fields().forEachRemaining(e -> {
      if (e.getValue().isObject()) {
        e.getValue().fields().forEachRemaining(d ->
            m.put(e.getKey() + "." + d.getKey(), d.getValue()));
      } else if (!e.getValue().isNull()) {
        m.put(e.getKey(), e.getValue());
      }
    });
    return m;
  }

  private static Cost costFrom(JsonNode obj, List<String> warnings, String span) {
    var m = new LinkedHashMap<String, BigDecimal>();
    obj.fields().forEachRemaining(e -> {
      BigDecimal d = decimal(e.getValue());
      if (d == null) {
        warnings.add(span + ": cost '" + e.getKey() + "' is not a non-negative number; ignored");
      } else {
        m.put(e.getKey(), d);
      }
    });
    if (m.isEmpty()) {
      return null;
    }
    if (!m.containsKey(Cost.TOTAL)) {
      m.put(Cost.TOTAL, m.values().stream().reduce(BigDecimal.ZERO, BigDecimal::add));
    }
    return new Cost(m);
  }

  static Long count(JsonNode v) {
    if (v == null) {
      return null;
    }
    if (v.isIntegralNumber() && v.longValue() >= 0) {
      return v.longValue();
    }
    if (v.isNumber() && v.doubleValue() >= 0 && v.doubleValue() == Math.rint(v.doubleValue())) {
      return (long) v.doubleValue();
    }
    if (v.isTextual()) {
      try {
        long n = Long.parseLong(v.asText().strip());
        return n >= 0 ? n : null;
      } catch (NumberFormatException e) {
        return null;
      }
    }
    return null;
  }

  // From the JSON text of the number, so 0.000123 stays exactly that, not a binary fraction.
  static BigDecimal decimal(JsonNode v) {
    if (v == null || v.isNull()) {
      return null;
    }
    try {
      BigDecimal d = v.isNumber() ? new BigDecimal(v.asText()) : new BigDecimal(v.asText().strip());
      return d.signum() < 0 ? null : d;
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
