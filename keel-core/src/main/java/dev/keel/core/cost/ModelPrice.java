package dev.keel.core.cost;

import java.math.BigDecimal;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * What one model costs per token, and its context window, as one entry of a {@link PriceTable}.
 *
 * @param provider the provider that bills this price ({@code litellm_provider} in the table)
 * @param mode chat, embedding, completion, ...; null when the table gives none
 * @param maxInputTokens the context window; null when unknown
 * @param maxOutputTokens the output limit (0 for moderation models); null when unknown
 * @param rates the base per-token rates
 * @param contextTiers whole-request tiers by prompt size, in any order
 * @param bands graduated bands, ordered by position; empty for most models
 */
public record ModelPrice(String provider, String mode, Integer maxInputTokens,
    Integer maxOutputTokens, TokenRates rates, List<ContextTier> contextTiers,
    List<PriceBand> bands) {

  public ModelPrice {
    Objects.requireNonNull(provider, "provider");
    Objects.requireNonNull(rates, "rates");
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
    return new ModelPrice(provider, "chat", null, null, TokenRates.of(input, output),
        List.of(), List.of());
  }

  /** This price with other base rates, keeping provider, limits, tiers and bands. */
  public ModelPrice withRates(TokenRates newRates) {
    return new ModelPrice(provider, mode, maxInputTokens, maxOutputTokens, newRates,
        contextTiers, bands);
  }

  /** This price without context tiers, for models the table wrongly gives a surcharge. */
  public ModelPrice withoutContextTiers() {
    return new ModelPrice(provider, mode, maxInputTokens, maxOutputTokens, rates, List.of(),
        bands);
  }

  /**
   * The rates for a request with {@code promptTokens} prompt tokens: the largest context tier
   * it exceeds laid over the base rates, or the base rates.
   */
  public TokenRates ratesFor(long promptTokens) {
    for (ContextTier tier : contextTiers) {
      if (tier.appliesTo(promptTokens)) {
        return rates.overriddenBy(tier.rates());
      }
    }
    return rates;
  }

  /** True when the entry prices tokens at all (some entries price seconds or images only). */
  public boolean pricesTokens() {
    return rates.input() != null || rates.output() != null || !bands.isEmpty();
  }

  private static void requireNonNegative(String name, Integer value) {
    if (value != null && value < 0) {
      throw new IllegalArgumentException(name + " must be non-negative: " + value);
    }
  }
}
