package dev.keel.core.cost;

import java.util.Objects;

/**
 * Rates that replace the base rates for a whole request once its prompt is larger than a
 * threshold (the table's {@code *_above_128k_tokens} and {@code *_above_200k_tokens} keys).
 *
 * @param aboveTokens the tier applies when all prompt tokens, cached ones included, are
 *     strictly more than this
 * @param serviceTier the service tier these rates are for ({@code priority}), or null for the
 *     standard tier
 * @param rates the rates the tier sets; rates it leaves null keep their base value
 */
public record ContextTier(long aboveTokens, String serviceTier, TokenRates rates) {

  public ContextTier {
    if (aboveTokens <= 0) {
      throw new IllegalArgumentException("aboveTokens must be positive: " + aboveTokens);
    }
    Objects.requireNonNull(rates, "rates");
  }

  /** A tier of the standard service tier. */
  public ContextTier(long aboveTokens, TokenRates rates) {
    this(aboveTokens, null, rates);
  }

  /** True when a request with {@code promptTokens} prompt tokens is priced in this tier. */
  public boolean appliesTo(long promptTokens) {
    return promptTokens > aboveTokens;
  }
}
