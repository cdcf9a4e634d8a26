package dev.keel.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keel.core.cost.Pricer;
import dev.keel.core.usage.Usage;
import dev.keel.store.CostGroupBy;
import dev.keel.store.CostRow;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns the store's cost rows (one per group and model) into the cost report: spend per group,
 * savings from the response cache and from provider prompt caching, and the monthly projection.
 */
final class CostReport {

  private static final Duration MONTH = Duration.ofDays(30);

  private final Pricer pricer;

  CostReport(Pricer pricer) {
    this.pricer = pricer;
  }

  /**
   * @param now when the report is made: a range reaching past it is projected from the part
   *     already elapsed
   */
  ObjectNode render(List<CostRow> rows, CostGroupBy by, Instant from, Instant to, Instant now) {
    Map<String, Totals> groups = new LinkedHashMap<>();
    Totals all = new Totals();
    for (CostRow r : rows) {
      BigDecimal promptCaching = promptCachingSaving(r);
      groups.computeIfAbsent(r.group(), g -> new Totals()).add(r, promptCaching);
      all.add(r, promptCaching);
    }
    ObjectNode out = KeelApi.JSON.createObjectNode().put("groupBy", by.text())
        .put("fromTimestamp", from.toString()).put("toTimestamp", to.toString());
    all.write(out.putObject("totals"));
    out.putObject("savings").put("cacheUsd", all.cacheSaving.stripTrailingZeros())
        .put("cacheHits", all.cacheHits)
        .put("promptCachingUsd", all.promptCaching.stripTrailingZeros())
        .put("routingUsd", all.routingSaving.stripTrailingZeros());
    out.put("projectedMonthlyUsd", projected(all.cost, from, to, now));
    var list = out.putArray("groups");
    groups.entrySet().stream()
        .sorted(Comparator.comparing((Map.Entry<String, Totals> e) -> e.getValue().cost)
            .reversed().thenComparing(e -> String.valueOf(e.getKey())))
        .forEach(e -> e.getValue().write(list.addObject().put("group", e.getKey())));
    return out;
  }

  /** Spend over the elapsed part of the range, scaled linearly to 30 days. */
  static BigDecimal projected(BigDecimal cost, Instant from, Instant to, Instant now) {
    Instant end = to.isAfter(now) ? now : to;
    long seconds = Duration.between(from, end).toSeconds();
    if (seconds <= 0) {
      return BigDecimal.ZERO;
    }
    return cost.multiply(BigDecimal.valueOf(MONTH.toSeconds()))
        .divide(BigDecimal.valueOf(seconds), 6, RoundingMode.HALF_UP).stripTrailingZeros();
  }

  /**
   * What the prompt tokens read from the provider's cache would have cost at the full input
   * rate, less what they cost at the cache-read rate; zero when the model's price is unknown.
   */
  private BigDecimal promptCachingSaving(CostRow r) {
    if (r.cachedInputTokens() <= 0 || r.model() == null) {
      return BigDecimal.ZERO;
    }
    var full = pricer.cost(r.model(),
        new Usage(Map.of(Usage.INPUT, r.cachedInputTokens()), false));
    var cached = pricer.cost(r.model(),
        new Usage(Map.of(Usage.INPUT_CACHED, r.cachedInputTokens()), false));
    if (full.isEmpty() || cached.isEmpty()) {
      return BigDecimal.ZERO;
    }
    return full.get().total().subtract(cached.get().total()).max(BigDecimal.ZERO);
  }

  /** Running sums of one group, or of the whole report. */
  private static final class Totals {
    long generations;
    long errors;
    long unknownCost;
    long inputTokens;
    long outputTokens;
    long cachedInputTokens;
    long cacheHits;
    BigDecimal cost = BigDecimal.ZERO;
    BigDecimal cacheSaving = BigDecimal.ZERO;
    BigDecimal promptCaching = BigDecimal.ZERO;
    BigDecimal routingSaving = BigDecimal.ZERO;

    void add(CostRow r, BigDecimal promptCachingSaving) {
      generations += r.generations();
      errors += r.errors();
      unknownCost += r.unknownCost();
      inputTokens += r.inputTokens();
      outputTokens += r.outputTokens();
      cachedInputTokens += r.cachedInputTokens();
      cacheHits += r.cacheHits();
      cost = cost.add(r.costUsd());
      cacheSaving = cacheSaving.add(r.cacheSavingUsd());
      promptCaching = promptCaching.add(promptCachingSaving);
      routingSaving = routingSaving.add(r.routingSavingUsd());
    }

    void write(ObjectNode n) {
      n.put("generations", generations).put("errors", errors)
          .put("costUsd", cost.stripTrailingZeros())
          .put("unknownCostGenerations", unknownCost).put("inputTokens", inputTokens)
          .put("outputTokens", outputTokens).put("cachedInputTokens", cachedInputTokens)
          .put("cachedInputShare", inputTokens == 0 ? 0.0
              : Math.round(10_000.0 * cachedInputTokens / inputTokens) / 10_000.0)
          .put("avgInputTokens", generations == 0 ? 0.0
              : Math.round(10.0 * inputTokens / generations) / 10.0)
          .put("cacheHits", cacheHits).put("cacheSavingUsd", cacheSaving.stripTrailingZeros())
          .put("promptCachingSavingUsd", promptCaching.stripTrailingZeros())
          .put("routingSavingUsd", routingSaving.stripTrailingZeros());
    }
  }
}
