package dev.keel.tracing.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keel.core.cost.Cost;
import dev.keel.core.usage.Usage;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Langfuse's usage and cost forms in an event body normalised into Keel's usage keys
 * (CONTRACTS.md): the legacy {@code usage} object (Langfuse or OpenAI camel names), the three
 * forms of {@code usageDetails}, and {@code costDetails}. Detail counts of the OpenAI forms are
 * taken out of input and output so that nothing is counted twice.
 *
 * <p>A token count is a non-negative whole number, or one in a string; null means none. Any
 * other value (negative, fractional, text, an object...) is the event's 400, naming the field
 * and the value, rather than a count silently stored as 0 or dropped.
 */
final class UsageMapper {

  // Flat usageDetails keys other tools send, renamed to Keel's (Anthropic's names mostly).
  private static final Map<String, String> ALIASES = Map.of(
      "input_tokens", Usage.INPUT,
      "output_tokens", Usage.OUTPUT,
      "total_tokens", Usage.TOTAL,
      "prompt_tokens", Usage.INPUT,
      "completion_tokens", Usage.OUTPUT,
      "cache_read_input_tokens", Usage.INPUT_CACHED,
      "cache_creation_input_tokens", Usage.INPUT_CACHE_CREATION);
  // Far beyond any model call, small enough that sums and prices cannot overflow (a sum of
  // counts near 2^63 failed the whole request, and so did a cost beyond what the store holds).
  private static final long MAX_TOKENS = 1_000_000_000L;
  private static final BigDecimal MAX_COUNT = BigDecimal.valueOf(MAX_TOKENS);
  private static final BigDecimal MAX_COST_USD = BigDecimal.valueOf(1_000_000);
  private static final Set<String> RESPONSES_KEYS = Set.of("input_tokens", "output_tokens",
      "total_tokens", "input_tokens_details", "output_tokens_details");

  private UsageMapper() {
  }

  /** Usage of the body; {@link Usage#NONE} when it carries none. */
  static Usage usage(JsonNode body) {
    var m = new LinkedHashMap<String, Long>();
    JsonNode legacy = body.get("usage");
    if (legacy != null && legacy.isObject()) {
      putCount(m, Usage.INPUT, legacy, first(legacy, "input", "promptTokens"), "body.usage.");
      putCount(m, Usage.OUTPUT, legacy, first(legacy, "output", "completionTokens"),
          "body.usage.");
      putCount(m, Usage.TOTAL, legacy, first(legacy, "total", "totalTokens"), "body.usage.");
    }
    JsonNode details = body.get("usageDetails");
    boolean hasDetails = details != null && details.isObject() && !details.isEmpty();
    if (hasDetails) {
      m.putAll(details(details));
    }
    if (!m.isEmpty() && !m.containsKey(Usage.TOTAL)) {
      m.put(Usage.TOTAL, m.values().stream().mapToLong(Long::longValue).sum());
    }
    return m.isEmpty() ? Usage.NONE : new Usage(m, false);
  }

  /** Costs the client sent (legacy usage costs under costDetails), or null for none. */
  static Cost cost(JsonNode body) {
    var m = new LinkedHashMap<String, BigDecimal>();
    JsonNode legacy = body.get("usage");
    if (legacy != null && legacy.isObject()) {
      putCost(m, "input", legacy.get("inputCost"), "body.usage.inputCost");
      putCost(m, "output", legacy.get("outputCost"), "body.usage.outputCost");
      putCost(m, Cost.TOTAL, legacy.get("totalCost"), "body.usage.totalCost");
    }
    JsonNode details = body.get("costDetails");
    if (details != null && details.isObject()) {
      details.fields().forEachRemaining(e -> putCost(m, e.getKey(), e.getValue(),
          "body.costDetails." + e.getKey()));
    }
    if (m.isEmpty()) {
      return null;
    }
    if (!m.containsKey(Cost.TOTAL)) {
      BigDecimal sum = m.values().stream().reduce(BigDecimal.ZERO, BigDecimal::add);
      if (sum.compareTo(MAX_COST_USD) > 0) {
        throw InvalidEvent.badRequest("the costs sent add up to more than "
            + MAX_COST_USD.toPlainString() + " USD: " + sum.toPlainString());
      }
      m.put(Cost.TOTAL, sum);
    }
    return new Cost(m);
  }

  private static Map<String, Long> details(JsonNode d) {
    if (d.has("prompt_tokens") && d.get("prompt_tokens").isNumber()) {
      return openAi(d, "prompt_tokens", "completion_tokens", "prompt_tokens_details",
          "completion_tokens_details");
    }
    boolean responses = d.has("input_tokens") && d.get("input_tokens").isNumber();
    var it = d.fieldNames();
    while (responses && it.hasNext()) {
      responses = RESPONSES_KEYS.contains(it.next());
    }
    if (responses) {
      return openAi(d, "input_tokens", "output_tokens", "input_tokens_details",
          "output_tokens_details");
    }
    var m = new LinkedHashMap<String, Long>();
    d.fields().forEachRemaining(e -> putCount(m, ALIASES.getOrDefault(e.getKey(), e.getKey()),
        d, e.getKey(), "body.usageDetails."));
    return m;
  }

  // Each detail key k becomes input_k or output_k and is taken out of input or output.
  private static Map<String, Long> openAi(JsonNode d, String in, String out, String inDetails,
      String outDetails) {
    var m = new LinkedHashMap<String, Long>();
    long input = Math.max(0, count(d.get(in), "body.usageDetails." + in));
    long output = Math.max(0, count(d.get(out), "body.usageDetails." + out));
    var extra = new LinkedHashMap<String, Long>();
    input -= split(d.get(inDetails), "body.usageDetails." + inDetails, "input_", extra);
    output -= split(d.get(outDetails), "body.usageDetails." + outDetails, "output_", extra);
    m.put(Usage.INPUT, Math.max(0, input));
    m.put(Usage.OUTPUT, Math.max(0, output));
    m.putAll(extra);
    putCount(m, Usage.TOTAL, d, "total_tokens", "body.usageDetails.");
    return m;
  }

  private static long split(JsonNode details, String field, String prefix,
      Map<String, Long> into) {
    long taken = 0;
    if (details == null || details.isNull()) {
      return 0;
    }
    if (!details.isObject()) {
      throw InvalidEvent.badRequest(field + " must be an object of token counts, got "
          + Fields.abbreviate(details.toString()));
    }
    var it = details.fields();
    while (it.hasNext()) {
      var e = it.next();
      long n = count(e.getValue(), field + "." + e.getKey());
      if (n > 0) {
        into.put(prefix + e.getKey(), n);
        taken += n;
      }
    }
    return taken;
  }

  // The key of n that holds the count: a, else b.
  private static String first(JsonNode n, String a, String b) {
    return n.hasNonNull(a) ? a : b;
  }

  private static void putCount(Map<String, Long> m, String key, JsonNode parent, String field,
      String path) {
    long n = count(parent.get(field), path + field);
    if (n >= 0) {
      m.put(key, n);
    }
  }

  // -1 for no count (absent or null); the event's 400 for anything but a whole number >= 0.
  private static long count(JsonNode v, String field) {
    if (v == null || v.isNull()) {
      return -1;
    }
    BigDecimal d = number(v);
    if (d != null) {
      if (d.signum() >= 0 && d.stripTrailingZeros().scale() <= 0
          && d.compareTo(MAX_COUNT) <= 0) {
        return d.longValueExact();
      }
    } else if (v.isTextual()) {
      try {
        long n = Long.parseLong(v.asText().trim());
        if (n >= 0 && n <= MAX_TOKENS) {
          return n;
        }
      } catch (NumberFormatException e) {
        // reported below
      }
    }
    throw InvalidEvent.badRequest(field + " must be a whole number of tokens from 0 to "
        + MAX_TOKENS + ", got " + Fields.abbreviate(v.toString()));
  }

  // Nothing for no cost (absent or null); the event's 400 for anything but 0 to MAX_COST_USD.
  private static void putCost(Map<String, BigDecimal> m, String key, JsonNode v, String field) {
    if (v == null || v.isNull()) {
      return;
    }
    BigDecimal d = number(v);
    if (d != null && d.signum() >= 0 && d.compareTo(MAX_COST_USD) <= 0) {
      m.put(key, d);
      return;
    }
    throw InvalidEvent.badRequest(field + " must be a cost in USD from 0 to "
        + MAX_COST_USD.toPlainString() + ", got " + Fields.abbreviate(v.toString()));
  }

  // A JSON number's exact value, or null for anything else (an infinite double included).
  private static BigDecimal number(JsonNode v) {
    boolean finite = v.isNumber() && (!v.isFloatingPointNumber()
        || Double.isFinite(v.asDouble()) || v.isBigDecimal());
    return finite ? v.decimalValue() : null;
  }
}
