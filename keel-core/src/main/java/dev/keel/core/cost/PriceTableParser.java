package dev.keel.core.cost;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads LiteLLM's model cost map into {@link ModelPrice} entries. Numbers are read as exact
 * decimals straight from the JSON text; going through double would turn 7.5e-08 into a value
 * that no longer sums to the cents a provider bills.
 */
final class PriceTableParser {

  /** The first key of the file documents the fields and is not a model. */
  static final String SPEC_KEY = "sample_spec";

  private static final ObjectMapper MAPPER = JsonMapper.builder()
      .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
      .build();

  private static final Pattern TIER_KEY = Pattern.compile(
      "(?:input_cost_per_token|output_cost_per_token|cache_read_input_token_cost"
          + "|cache_creation_input_token_cost|output_cost_per_reasoning_token"
          + "|input_cost_per_audio_token|output_cost_per_audio_token)"
          + "(_above_(\\d+)(k?)_tokens(?:_(flex|priority))?)");

  /** Service tiers whose rates the table lists as {@code <key>_<tier>}. */
  private static final List<String> SERVICE_TIERS = List.of("flex", "priority");

  private PriceTableParser() {}

  /** Parses a whole table; {@code source} names it in errors. */
  static Map<String, ModelPrice> parse(InputStream in, String source) throws IOException {
    JsonNode root = MAPPER.readTree(in);
    if (root == null || !root.isObject()) {
      throw new IllegalArgumentException(source + " must hold a JSON object of model entries");
    }
    var out = new LinkedHashMap<String, ModelPrice>(root.size() * 2);
    for (Map.Entry<String, JsonNode> e : root.properties()) {
      if (!e.getKey().equals(SPEC_KEY)) {
        out.put(e.getKey(), parseEntry(source, e.getKey(), e.getValue()));
      }
    }
    return out;
  }

  private static ModelPrice parseEntry(String source, String name, JsonNode entry) {
    try {
      if (!entry.isObject()) {
        throw new IllegalArgumentException("entry must be a JSON object: " + entry.getNodeType());
      }
      return new ModelPrice(
          requiredText(entry, "litellm_provider"),
          optionalText(entry, "mode"),
          tokenLimit(entry, "max_input_tokens"),
          tokenLimit(entry, "max_output_tokens"),
          rates(entry, ""),
          serviceTiers(entry),
          contextTiers(entry),
          bands(entry));
    } catch (IllegalArgumentException | ArithmeticException ex) {
      throw new IllegalArgumentException(
          "invalid price entry '" + name + "' in " + source + ": " + ex.getMessage(), ex);
    }
  }

  private static TokenRates rates(JsonNode node, String suffix) {
    BigDecimal cacheRead = decimal(node, "cache_read_input_token_cost" + suffix);
    if (cacheRead == null) {
      // DeepSeek-style entries name their cache-hit price differently.
      cacheRead = decimal(node, "input_cost_per_token_cache_hit" + suffix);
    }
    return new TokenRates(
        decimal(node, "input_cost_per_token" + suffix),
        decimal(node, "output_cost_per_token" + suffix),
        cacheRead,
        decimal(node, "cache_creation_input_token_cost" + suffix),
        decimal(node, "output_cost_per_reasoning_token" + suffix),
        decimal(node, "input_cost_per_audio_token" + suffix),
        decimal(node, "output_cost_per_audio_token" + suffix));
  }

  private static Map<String, TokenRates> serviceTiers(JsonNode entry) {
    var tiers = new LinkedHashMap<String, TokenRates>();
    for (String tier : SERVICE_TIERS) {
      TokenRates rates = rates(entry, "_" + tier);
      if (!rates.isEmpty()) {
        tiers.put(tier, rates);
      }
    }
    return tiers;
  }

  private static List<ContextTier> contextTiers(JsonNode entry) {
    var tiers = new LinkedHashMap<String, ContextTier>();
    for (Map.Entry<String, JsonNode> field : entry.properties()) {
      Matcher m = TIER_KEY.matcher(field.getKey());
      if (m.matches() && !tiers.containsKey(m.group(1))) {
        long n = Long.parseLong(m.group(2));
        long above = m.group(3).isEmpty() ? n : n * 1000;
        tiers.put(m.group(1), new ContextTier(above, m.group(4), rates(entry, m.group(1))));
      }
    }
    return new ArrayList<>(tiers.values());
  }

  private static List<PriceBand> bands(JsonNode entry) {
    JsonNode list = entry.get("tiered_pricing");
    if (list == null || list.isNull()) {
      return List.of();
    }
    if (!list.isArray()) {
      throw new IllegalArgumentException("tiered_pricing must be an array");
    }
    var bands = new ArrayList<PriceBand>(list.size());
    for (JsonNode band : list) {
      // Search providers band by result count, not tokens; those bands are not token prices.
      if (!band.has("range")) {
        return List.of();
      }
      bands.add(band(band));
    }
    return bands;
  }

  private static PriceBand band(JsonNode band) {
    JsonNode range = band.get("range");
    if (!range.isArray() || range.size() != 2) {
      throw new IllegalArgumentException("tiered_pricing range must be [from, to]: " + range);
    }
    long from = wholeNumber("range", range.get(0));
    long to = wholeNumber("range", range.get(1));
    return new PriceBand(from, to, rates(band, ""));
  }

  private static Integer tokenLimit(JsonNode entry, String key) {
    JsonNode node = entry.get(key);
    if (node == null || node.isNull()) {
      return null;
    }
    return Math.toIntExact(wholeNumber(key, node));
  }

  private static long wholeNumber(String key, JsonNode node) {
    BigDecimal value = number(key, node);
    try {
      return value.longValueExact();
    } catch (ArithmeticException ex) {
      throw new IllegalArgumentException(key + " must be a whole number: " + value, ex);
    }
  }

  private static BigDecimal decimal(JsonNode entry, String key) {
    JsonNode node = entry.get(key);
    if (node == null || node.isNull()) {
      return null;
    }
    BigDecimal value = number(key, node);
    if (value.signum() < 0) {
      throw new IllegalArgumentException(key + " must be non-negative: " + value);
    }
    return value;
  }

  private static BigDecimal number(String key, JsonNode node) {
    if (node.isNumber()) {
      return node.decimalValue();
    }
    if (node.isTextual()) {
      // Tables written from YAML carry numbers as strings such as "3e-7".
      try {
        return new BigDecimal(node.textValue().trim());
      } catch (NumberFormatException ex) {
        throw new IllegalArgumentException(
            key + " must be a number: \"" + node.textValue() + "\"", ex);
      }
    }
    throw new IllegalArgumentException(key + " must be a number: " + node);
  }

  private static String requiredText(JsonNode entry, String key) {
    String value = optionalText(entry, key);
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(key + " is required");
    }
    return value;
  }

  private static String optionalText(JsonNode entry, String key) {
    JsonNode node = entry.get(key);
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isTextual()) {
      throw new IllegalArgumentException(key + " must be a string: " + node);
    }
    return node.textValue();
  }
}
