package dev.keel.core.cost;

import java.util.Objects;

/**
 * One band of graduated pricing (the table's {@code tiered_pricing}): the tokens whose position
 * falls in {@code [fromTokens, toTokens)} are billed at this band's rates. Unlike a
 * {@link ContextTier}, each band prices only its own slice of the tokens.
 *
 * @param fromTokens first token position of the band
 * @param toTokens end of the band, exclusive
 * @param rates the band's rates
 */
public record PriceBand(long fromTokens, long toTokens, TokenRates rates) {

  public PriceBand {
    if (fromTokens < 0) {
      throw new IllegalArgumentException("fromTokens must be non-negative: " + fromTokens);
    }
    if (toTokens <= fromTokens) {
      throw new IllegalArgumentException(
          "toTokens must be above fromTokens: " + fromTokens + ".." + toTokens);
    }
    Objects.requireNonNull(rates, "rates");
  }

  /** How many of the tokens at positions {@code [start, start + count)} fall in this band. */
  public long overlap(long start, long count) {
    long lo = Math.max(start, fromTokens);
    long hi = Math.min(start + count, toTokens);
    return Math.max(0, hi - lo);
  }
}
