package dev.keel.store;

import dev.keel.core.cost.Cost;
import java.math.BigDecimal;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Running sums over generations: what one rollup row holds, and what a report adds up from
 * several. Savings stay exact decimals (they come from decimal text in the observations'
 * metadata); money is pico-dollars. Mutable and not thread-safe.
 */
final class GenerationTotals {

  /** The measures of a grouped query over raw rows, in this order, after its key columns. */
  static final String RAW_MEASURES = "COUNT(*), "
      + "SUM(CASE WHEN o.level = 'ERROR' THEN 1 ELSE 0 END), "
      + "SUM(COALESCE(o.total_cost_pico, 0)), "
      + "SUM(CASE WHEN o.total_cost_pico IS NULL AND o.level <> 'ERROR' THEN 1 ELSE 0 END), "
      + "SUM(o.input_tokens), SUM(o.output_tokens), ";

  /** The measure columns of the rollup tables, in the order {@link #bind} writes them. */
  static final String COLUMNS = "generations, errors, cost_pico, unknown_cost, input_tokens,"
      + " output_tokens, cached_input_tokens, cache_hits, cache_saving_usd, routing_saving_usd";

  long generations;
  long errors;
  long costPico;
  long unknownCost;
  long inputTokens;
  long outputTokens;
  long cachedInputTokens;
  long cacheHits;
  BigDecimal cacheSaving = BigDecimal.ZERO;
  BigDecimal routingSaving = BigDecimal.ZERO;
  final LatencyHistogram latency = new LatencyHistogram();

  /**
   * Adds one group of a raw query: {@link #RAW_MEASURES}, then the cached tokens and cache
   * hits, from column {@code i}; {@code cacheSaving} and {@code routingSaving} are the savings
   * text every generation of the group carries.
   */
  void addRaw(ResultSet rs, int i, String cacheSavingText, String routingSavingText)
      throws SQLException {
    long n = rs.getLong(i);
    generations += n;
    errors += rs.getLong(i + 1);
    costPico += rs.getLong(i + 2);
    unknownCost += rs.getLong(i + 3);
    inputTokens += rs.getLong(i + 4);
    outputTokens += rs.getLong(i + 5);
    cachedInputTokens += rs.getLong(i + 6);
    cacheHits += rs.getLong(i + 7);
    BigDecimal count = BigDecimal.valueOf(n);
    cacheSaving = cacheSaving.add(usd(cacheSavingText).multiply(count));
    routingSaving = routingSaving.add(usd(routingSavingText).multiply(count));
  }

  /** Adds a stored rollup row whose {@link #COLUMNS} start at column {@code i}. */
  void addStored(ResultSet rs, int i) throws SQLException {
    generations += rs.getLong(i);
    errors += rs.getLong(i + 1);
    costPico += rs.getLong(i + 2);
    unknownCost += rs.getLong(i + 3);
    inputTokens += rs.getLong(i + 4);
    outputTokens += rs.getLong(i + 5);
    cachedInputTokens += rs.getLong(i + 6);
    cacheHits += rs.getLong(i + 7);
    cacheSaving = cacheSaving.add(new BigDecimal(rs.getString(i + 8)));
    routingSaving = routingSaving.add(new BigDecimal(rs.getString(i + 9)));
  }

  void addAll(GenerationTotals o) {
    generations += o.generations;
    errors += o.errors;
    costPico += o.costPico;
    unknownCost += o.unknownCost;
    inputTokens += o.inputTokens;
    outputTokens += o.outputTokens;
    cachedInputTokens += o.cachedInputTokens;
    cacheHits += o.cacheHits;
    cacheSaving = cacheSaving.add(o.cacheSaving);
    routingSaving = routingSaving.add(o.routingSaving);
    latency.addAll(o.latency);
  }

  /** Binds {@link #COLUMNS} from parameter {@code i}; returns the next parameter index. */
  int bind(PreparedStatement ps, int i) throws SQLException {
    long[] longs = {generations, errors, costPico, unknownCost, inputTokens, outputTokens,
        cachedInputTokens, cacheHits};
    for (long v : longs) {
      ps.setLong(i++, v);
    }
    ps.setString(i++, cacheSaving.toPlainString());
    ps.setString(i++, routingSaving.toPlainString());
    return i;
  }

  CostRow toCostRow(String group, String model) {
    return new CostRow(group, model, generations, errors, Cost.fromPicoDollars(costPico),
        unknownCost, inputTokens, outputTokens, cachedInputTokens, cacheHits, cacheSaving,
        routingSaving);
  }

  /** A saving recorded by another writer may be anything; what is not a number saves 0. */
  private static BigDecimal usd(String text) {
    if (text == null) {
      return BigDecimal.ZERO;
    }
    try {
      return new BigDecimal(text.strip());
    } catch (NumberFormatException e) {
      return BigDecimal.ZERO;
    }
  }
}
