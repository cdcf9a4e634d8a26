package dev.keel.core.cost;

import java.math.BigDecimal;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What one model costs per token, and its context window, as one entry of a {@link PriceTable}.
 *
 * @param provider the provider that bills this price ({@code litellm_provider} in the table)
 * @param mode chat, embedding, completion, ...; null when the table gives none
 * @param maxInputTokens the context window; null when unknown
 * @param maxOutputTokens the output limit (0 for moderation models); null when unknown
 * @param rates the base per-token rates
 * @param serviceTiers rates for service tiers ({@code flex}, {@code priority}) laid over the
 *     base rates when a request asks for that tier
 * @param contextTiers whole-request tiers by prompt size, in any order
 * @param bands graduated bands, ordered by position; empty for most models
 */
public record ModelPrice(String provider, String mode, Integer maxInputTokens,
    Integer maxOutputTokens, TokenRates rates, Map<String, TokenRates> serviceTiers,
    List<ContextTier> contextTiers, List<PriceBand> bands) {

  public ModelPrice {
    Objects.requireNonNull(provider, "provider");
    Objects.requireNonNull(rates, "rates");
    serviceTiers = Map.copyOf(serviceTiers);
    requireNonNegative("maxInputTokens", maxInputTokens);
    requireNonNegative("maxOutputTokens", maxOutputTokens);
    contextTiers = contextTiers.stream()
        .sorted(Comparator.comparingLong(ContextTier::aboveTokens).reversed())
        .toList();
    bands = bands.stream().sorted(Comparator.comparingLong(PriceBand::fromTokens)).toList();
  }

  /** A plain price: input and output per token, no caching rates, tiers or limits. */
  public static ModelPrice perToken(String provider, BigDecimal input, BigDecimal output) {
    Objects.requireNonNull(input, "input");
    Objects.requireNonNull(output, "output");
    return new ModelPrice(provider, "chat", null, null, TokenRates.of(input, output), Map.of(),
        List.of(), List.of());
  }

  /** This price with other base rates, keeping provider, limits, tiers and bands. */
  public ModelPrice withRates(TokenRates newRates) {
    return new ModelPrice(provider, mode, maxInputTokens, maxOutputTokens, newRates,
        serviceTiers, contextTiers, bands);
  }

  /** This price without context tiers, for models the table wrongly gives a surcharge. */
  public ModelPrice withoutContextTiers() {
    return new ModelPrice(provider, mode, maxInputTokens, maxOutputTokens, rates, serviceTiers,
        List.of(), bands);
  }

  /**
   * The rates for a request with {@code promptTokens} prompt tokens: the largest context tier
   * it exceeds laid over the base rates, or the base rates.
   */
  public TokenRates ratesFor(long promptTokens) {
    return ratesFor(promptTokens, null);
  }

  /**
   * The rates for a request with {@code promptTokens} prompt tokens in {@code serviceTier}
   * (null, or a tier the model does not list, means standard). A rate the service tier does
   * not list keeps its standard value, as the table's source does.
   */
  public TokenRates ratesFor(long promptTokens, String serviceTier) {
    TokenRates service = serviceTier == null ? null : serviceTiers.get(serviceTier);
    TokenRates result = service == null ? rates : rates.overriddenBy(service);
    ContextTier standard = contextTier(promptTokens, null);
    if (standard != null) {
      result = result.overriddenBy(standard.rates());
    }
    ContextTier own = serviceTier == null ? null : contextTier(promptTokens, serviceTier);
    return own == null ? result : result.overriddenBy(own.rates());
  }

  /** True when the entry prices tokens at all (some entries price seconds or images only). */
  public boolean pricesTokens() {
    return rates.input() != null || rates.output() != null || !bands.isEmpty();
  }

  private ContextTier contextTier(long promptTokens, String serviceTier) {
    for (ContextTier tier : contextTiers) {
      if (Objects.equals(tier.serviceTier(), serviceTier) && tier.appliesTo(promptTokens)) {
        return tier;
      }
    }
    return null;
  }

  private static void requireNonNegative(String name, Integer value) {
    if (value != null && value < 0) {
      throw new IllegalArgumentException(name + " must be non-negative: " + value);
    }
  }
}
