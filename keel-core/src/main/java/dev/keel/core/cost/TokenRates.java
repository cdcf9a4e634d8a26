package dev.keel.core.cost;

import java.math.BigDecimal;

/**
 * USD prices per single token for each kind of token one model call can use. A null component
 * means the price table gives no rate for it; {@link CostCalculator} then falls back to the
 * base input or output rate, as the table's conventions prescribe.
 *
 * @param input full-rate prompt tokens
 * @param output completion tokens
 * @param cacheRead prompt tokens read from the provider's prompt cache
 * @param cacheWrite prompt tokens written to the cache (Anthropic's 5-minute writes)
 * @param reasoning hidden reasoning tokens
 * @param inputAudio audio prompt tokens
 * @param outputAudio audio completion tokens
 */
public record TokenRates(BigDecimal input, BigDecimal output, BigDecimal cacheRead,
    BigDecimal cacheWrite, BigDecimal reasoning, BigDecimal inputAudio, BigDecimal outputAudio) {

  /** No rate at all. */
  public static final TokenRates NONE = new TokenRates(null, null, null, null, null, null, null);

  public TokenRates {
    requireNonNegative("input", input);
    requireNonNegative("output", output);
    requireNonNegative("cacheRead", cacheRead);
    requireNonNegative("cacheWrite", cacheWrite);
    requireNonNegative("reasoning", reasoning);
    requireNonNegative("inputAudio", inputAudio);
    requireNonNegative("outputAudio", outputAudio);
  }

  /** Rates for plain input and output tokens only. */
  public static TokenRates of(BigDecimal input, BigDecimal output) {
    return new TokenRates(input, output, null, null, null, null, null);
  }

  /** These rates with every rate that {@code other} gives replaced by other's. */
  public TokenRates overriddenBy(TokenRates other) {
    return new TokenRates(
        pick(other.input, input),
        pick(other.output, output),
        pick(other.cacheRead, cacheRead),
        pick(other.cacheWrite, cacheWrite),
        pick(other.reasoning, reasoning),
        pick(other.inputAudio, inputAudio),
        pick(other.outputAudio, outputAudio));
  }

  /** True when no rate is given. */
  public boolean isEmpty() {
    return this.equals(NONE);
  }

  private static BigDecimal pick(BigDecimal preferred, BigDecimal fallback) {
    return preferred != null ? preferred : fallback;
  }

  private static void requireNonNegative(String name, BigDecimal value) {
    if (value != null && value.signum() < 0) {
      throw new IllegalArgumentException(name + " must be non-negative: " + value);
    }
  }
}
