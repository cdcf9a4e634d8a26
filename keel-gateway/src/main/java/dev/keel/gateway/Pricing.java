package dev.keel.gateway;

import dev.keel.core.cost.Cost;
import dev.keel.core.cost.CostCalculator;
import dev.keel.core.cost.ModelPrice;
import dev.keel.core.cost.PriceTable;
import dev.keel.core.cost.TokenRates;
import dev.keel.core.usage.Usage;
import dev.keel.gateway.config.KeelConfig;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Prices gateway calls: the bundled table (or a newer one loaded with {@code keel prices update}),
 * with per-model overrides from {@code keel.yaml} laid on top.
 */
public final class Pricing implements dev.keel.core.cost.Pricer {

  /** Where {@code keel prices update} puts a newer table, inside the data folder. */
  public static final String TABLE_FILE = "model_prices.json";
  private static final BigDecimal MILLION = BigDecimal.valueOf(1_000_000);

  private final PriceTable table;
  private final CostCalculator calculator;

  public Pricing(PriceTable table) {
    this.table = table;
    this.calculator = new CostCalculator(table);
  }

  /** The table in {@code dataDir} if one was installed, else the bundled one; plus overrides. */
  public static Pricing from(KeelConfig config, Path dataDir) {
    Path installed = dataDir == null ? null : dataDir.resolve(TABLE_FILE);
    PriceTable base = installed != null && Files.isRegularFile(installed)
        ? PriceTable.load(installed) : PriceTable.bundled();
    return new Pricing(base.withOverrides(overrides(config, base)));
  }

  /** The USD cost of {@code usage} on {@code model}; empty when no price is known. */
  @Override
  public Optional<Cost> cost(String model, Usage usage) {
    return calculator.cost(model, usage);
  }

  public PriceTable table() {
    return table;
  }

  private static Map<String, ModelPrice> overrides(KeelConfig config, PriceTable base) {
    var out = new LinkedHashMap<String, ModelPrice>();
    for (KeelConfig.ModelSpec m : config.models()) {
      KeelConfig.PriceOverride p = m.price();
      if (p == null) {
        continue;
      }
      TokenRates rates = new TokenRates(perToken(p.inputPerMillion()),
          perToken(p.outputPerMillion()), perToken(p.cacheReadPerMillion()),
          perToken(p.cacheWritePerMillion()), null, null, null);
      ModelPrice price = base.find(m.model())
          .map(existing -> existing.withRates(existing.rates().overriddenBy(rates)))
          .orElseGet(() -> new ModelPrice(m.provider(), "chat", null, null, rates, Map.of(),
              java.util.List.of(), java.util.List.of()));
      out.put(m.model(), price);
      out.put(m.name(), price);
    }
    return out;
  }

  private static BigDecimal perToken(BigDecimal perMillion) {
    return perMillion == null ? null : perMillion.divide(MILLION);
  }
}
