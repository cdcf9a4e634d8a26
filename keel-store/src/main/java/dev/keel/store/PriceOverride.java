package dev.keel.store;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * A model's price set at run time (in the web UI), laid over the price table. Rates are USD per
 * 1M tokens; a null rate keeps the table's rate (or none, for a model the table lacks).
 *
 * @param model the model name as requests spell it
 * @param provider the provider that bills it (openai, anthropic, ...)
 * @param updatedBy who set it, as the UI shows it
 */
public record PriceOverride(String model, String provider, BigDecimal inputPerMillion,
    BigDecimal outputPerMillion, BigDecimal cacheReadPerMillion,
    BigDecimal cacheWritePerMillion, Instant updatedAt, String updatedBy) {

  /** Longer than any model name a provider uses; keeps a pasted paragraph out. */
  public static final int MAX_NAME = 200;

  public PriceOverride {
    if (model == null || model.isBlank() || model.length() > MAX_NAME) {
      throw new IllegalArgumentException("model must be 1 to " + MAX_NAME + " characters: "
          + model);
    }
    if (provider == null || provider.isBlank() || provider.length() > MAX_NAME) {
      throw new IllegalArgumentException("provider must be 1 to " + MAX_NAME + " characters: "
          + provider);
    }
    if (Stream.of(inputPerMillion, outputPerMillion, cacheReadPerMillion, cacheWritePerMillion)
        .allMatch(Objects::isNull)) {
      throw new IllegalArgumentException("a price override needs at least one rate: " + model);
    }
    check("input", inputPerMillion);
    check("output", outputPerMillion);
    check("cache read", cacheReadPerMillion);
    check("cache write", cacheWritePerMillion);
    Objects.requireNonNull(updatedAt, "updatedAt");
  }

  private static void check(String name, BigDecimal rate) {
    if (rate != null && rate.signum() < 0) {
      throw new IllegalArgumentException(name + " price must not be negative: "
          + rate.toPlainString());
    }
  }
}
