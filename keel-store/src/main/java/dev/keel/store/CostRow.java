package dev.keel.store;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * Spend of one group (a model, key, user, team, prompt version or UTC day) on one model, over
 * the generations of a time range.
 *
 * @param group the group's value, or null for generations without one (no key, no prompt)
 * @param model the model called, or null when the generation named none
 * @param unknownCost generations that succeeded but could not be priced
 * @param cachedInputTokens prompt tokens the provider read from its prompt cache
 * @param cacheHits answers served from Keel's response cache (they cost nothing)
 * @param cacheSavingUsd what those answers cost when they were first asked
 * @param routingSavingUsd what a cost_aware route's strong model would have charged for the
 *     calls it sent to a cheaper one, less what they cost ({@code routing_saving_usd})
 */
public record CostRow(String group, String model, long generations, long errors,
    BigDecimal costUsd, long unknownCost, long inputTokens, long outputTokens,
    long cachedInputTokens, long cacheHits, BigDecimal cacheSavingUsd,
    BigDecimal routingSavingUsd) {

  public CostRow {
    Objects.requireNonNull(costUsd, "costUsd");
    Objects.requireNonNull(cacheSavingUsd, "cacheSavingUsd");
    Objects.requireNonNull(routingSavingUsd, "routingSavingUsd");
  }

  CostRow withSavings(BigDecimal cache, BigDecimal routing) {
    return new CostRow(group, model, generations, errors, costUsd, unknownCost, inputTokens,
        outputTokens, cachedInputTokens, cacheHits, cache, routing);
  }
}
