package dev.keel.store;

import java.math.BigDecimal;

/**
 * How one prompt version did through the gateway over a time range: its generations (every
 * upstream attempt), errors, cost, latency, tokens and structured-output checks.
 *
 * @param costUsd summed cost of generations with a known price
 * @param unknownCost generations whose price is unknown (not in {@code costUsd})
 * @param schemaChecked generations whose answer was checked against a JSON schema
 * @param schemaFailed of those, how many did not match
 */
public record PromptVersionStats(int version, long generations, long errors, BigDecimal costUsd,
    long unknownCost, double avgLatencyMs, long inputTokens, long outputTokens,
    long schemaChecked, long schemaFailed) {

  /** Share of checked answers that failed their schema; NaN when none was checked. */
  public double schemaFailureRate() {
    return schemaChecked == 0 ? Double.NaN : (double) schemaFailed / schemaChecked;
  }
}
