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
 */
public record CostRow(String group, String model, long generations, long errors,
    BigDecimal costUsd, long unknownCost, long inputTokens, long outputTokens,
    long cachedInputTokens, long cacheHits, BigDecimal cacheSavingUsd) {

  public CostRow {
    Objects.requireNonNull(costUsd, "costUsd");
    Objects.requireNonNull(cacheSavingUsd, "cacheSavingUsd");
  }

  CostRow withCacheSaving(BigDecimal saving) {
    return new CostRow(group, model, generations, errors, costUsd, unknownCost, inputTokens,
        outputTokens, cachedInputTokens, cacheHits, saving);
  }
}
