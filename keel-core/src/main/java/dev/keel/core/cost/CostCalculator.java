package dev.keel.core.cost;

import dev.keel.core.usage.Usage;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Prices a model call's {@link Usage} against a {@link PriceTable}, exactly.
 *
 * <p>Each usage key is billed at its own rate: cached reads at the cache-read rate only (the
 * input rate only when the model has no cache rate), cache writes at the cache-write rate,
 * reasoning and audio at their rates or else the plain output or input rate. When the whole
 * prompt exceeds a context tier's threshold, that tier's rates price the whole request. Models
 * with graduated bands bill each band's slice of the input and of the output at its own rate.
 * A rate the table does not give counts as zero, as LiteLLM's table intends (embeddings list
 * no output price), but a model without any token price is unknown, never free.
 */
public final class CostCalculator {

  /** Usage keys that carry a token price; {@code total} and unknown keys do not. */
  private static final Set<String> PRICED_KEYS = Set.of(Usage.INPUT, Usage.INPUT_CACHED,
      Usage.INPUT_CACHE_CREATION, Usage.INPUT_AUDIO, Usage.OUTPUT, Usage.OUTPUT_REASONING,
      Usage.OUTPUT_AUDIO);

  private final PriceTable table;

  public CostCalculator(PriceTable table) {
    this.table = Objects.requireNonNull(table, "table");
  }

  /** A calculator over the bundled table. */
  public static CostCalculator bundled() {
    return new CostCalculator(PriceTable.bundled());
  }

  /** The cost of {@code usage} on {@code model}; empty when no token price is known. */
  public Optional<Cost> cost(String model, Usage usage) {
    return cost(model, usage, null);
  }

  /**
   * The cost of {@code usage} on {@code model} in a provider's service tier ({@code flex},
   * {@code priority}; null for standard); empty when no token price is known.
   */
  public Optional<Cost> cost(String model, Usage usage, String serviceTier) {
    return table.find(model)
        .filter(ModelPrice::pricesTokens)
        .map(p -> cost(p, usage, serviceTier));
  }

  /**
   * The cost of {@code usage} at {@code price}: one detail per usage key the usage holds (keys
   * Keel does not price are left out) plus {@code total}, their exact sum.
   */
  public Cost cost(ModelPrice price, Usage usage) {
    return cost(price, usage, null);
  }

  /** As {@link #cost(ModelPrice, Usage)}, in {@code serviceTier} (null for standard). */
  public Cost cost(ModelPrice price, Usage usage, String serviceTier) {
    TokenRates rates = price.ratesFor(usage.promptTokens(), serviceTier);
    var details = new LinkedHashMap<String, BigDecimal>();
    BigDecimal total = BigDecimal.ZERO;
    for (var e : usage.details().entrySet()) {
      BigDecimal cost = price.bands().isEmpty()
          ? flatCost(rates, e.getKey(), e.getValue())
          : BandedCost.of(price.bands(), rates, usage, e.getKey());
      if (cost != null) {
        details.put(e.getKey(), cost.stripTrailingZeros());
        total = total.add(cost);
      }
    }
    details.put(Cost.TOTAL, total.stripTrailingZeros());
    return new Cost(details);
  }

  /** The cost of {@code count} tokens under usage key {@code key}, or null for other keys. */
  static BigDecimal flatCost(TokenRates rates, String key, long count) {
    BigDecimal rate = rateFor(rates, key);
    return rate == null ? null : rate.multiply(BigDecimal.valueOf(count));
  }

  /** The per-token rate for usage key {@code key}, zero when unpriced, null for other keys. */
  static BigDecimal rateFor(TokenRates r, String key) {
    BigDecimal rate = switch (key) {
      case Usage.INPUT -> r.input();
      case Usage.INPUT_CACHED -> first(r.cacheRead(), r.input());
      case Usage.INPUT_CACHE_CREATION -> first(r.cacheWrite(), r.input());
      case Usage.INPUT_AUDIO -> first(r.inputAudio(), r.input());
      case Usage.OUTPUT -> r.output();
      case Usage.OUTPUT_REASONING -> first(r.reasoning(), r.output());
      case Usage.OUTPUT_AUDIO -> first(r.outputAudio(), r.output());
      default -> null;
    };
    if (rate == null) {
      return isPriced(key) ? BigDecimal.ZERO : null;
    }
    return rate;
  }

  private static boolean isPriced(String key) {
    return PRICED_KEYS.contains(key);
  }

  private static BigDecimal first(BigDecimal preferred, BigDecimal fallback) {
    return preferred != null ? preferred : fallback;
  }

  /** Graduated pricing: each band bills the tokens whose position falls inside it. */
  private static final class BandedCost {

    private BandedCost() {}

    static BigDecimal of(List<PriceBand> bands, TokenRates base, Usage usage, String key) {
      // Keys without a banded price use the first band's rates over the base rates; cached
      // reads are billed at the first band's cache rate, as the table's source does.
      TokenRates firstBand = base.overriddenBy(bands.get(0).rates());
      return switch (key) {
        case Usage.INPUT -> sum(bands, 0, usage.get(key), TokenRates::input);
        case Usage.OUTPUT -> sum(bands, 0, usage.get(key), TokenRates::output);
        case Usage.OUTPUT_REASONING -> sum(bands, usage.get(Usage.OUTPUT), usage.get(key),
            r -> first(r.reasoning(), r.output()));
        default -> flatCost(firstBand, key, usage.get(key));
      };
    }

    private static BigDecimal sum(List<PriceBand> bands, long start, long count,
        Function<TokenRates, BigDecimal> rate) {
      BigDecimal total = BigDecimal.ZERO;
      long billed = 0;
      for (PriceBand band : bands) {
        long n = band.overlap(start, count);
        total = total.add(rateOrZero(rate, band).multiply(BigDecimal.valueOf(n)));
        billed += n;
      }
      // Tokens past the last band (a table lagging the provider) pay the last band's rate.
      long rest = count - billed;
      PriceBand last = bands.get(bands.size() - 1);
      return total.add(rateOrZero(rate, last).multiply(BigDecimal.valueOf(rest)));
    }

    private static BigDecimal rateOrZero(Function<TokenRates, BigDecimal> rate, PriceBand b) {
      BigDecimal r = rate.apply(b.rates());
      return r == null ? BigDecimal.ZERO : r;
    }
  }
}
