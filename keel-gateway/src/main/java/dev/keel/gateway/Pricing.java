package dev.keel.gateway;

import dev.keel.core.cost.Cost;
import dev.keel.core.cost.CostCalculator;
import dev.keel.core.cost.ModelPrice;
import dev.keel.core.cost.PriceTable;
import dev.keel.core.cost.TokenRates;
import dev.keel.core.usage.Usage;
import dev.keel.gateway.config.KeelConfig;
import dev.keel.store.PriceOverride;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Prices gateway calls: the bundled table (or a newer one loaded with {@code keel prices update}),
 * with per-model overrides from {@code keel.yaml} laid on top, and on top of those the prices an
 * admin set at run time (Settings in the web UI), which {@link #useRuntimePrices} swaps in
 * without a restart.
 *
 * <p>Thread-safety: the table in use is one immutable snapshot behind a volatile field, so a
 * call priced during a swap sees either the old or the new table, never a mix.
 */
public final class Pricing implements dev.keel.core.cost.Pricer {

  /** Where {@code keel prices update} puts a newer table, inside the data folder. */
  public static final String TABLE_FILE = "model_prices.json";
  private static final BigDecimal MILLION = BigDecimal.valueOf(1_000_000);

  private final PriceTable configured;
  private final String tableSource;
  private final Set<String> configuredModels;
  private volatile Snapshot current;

  public Pricing(PriceTable table) {
    this(table, "given table", Set.of());
  }

  private Pricing(PriceTable configured, String tableSource, Set<String> configuredModels) {
    this.configured = configured;
    this.tableSource = tableSource;
    this.configuredModels = Set.copyOf(configuredModels);
    this.current = new Snapshot(configured, Map.of());
  }

  /** The table in {@code dataDir} if one was installed, else the bundled one; plus overrides. */
  public static Pricing from(KeelConfig config, Path dataDir) {
    Path installed = dataDir == null ? null : dataDir.resolve(TABLE_FILE);
    boolean isInstalled = installed != null && Files.isRegularFile(installed);
    PriceTable base = isInstalled ? PriceTable.load(installed) : PriceTable.bundled();
    Map<String, ModelPrice> overrides = overrides(config, base);
    return new Pricing(base.withOverrides(overrides), isInstalled
        ? "LiteLLM table installed by keel prices update" : "LiteLLM table bundled with Keel",
        overrides.keySet());
  }

  /** The USD cost of {@code usage} on {@code model}; empty when no price is known. */
  @Override
  public Optional<Cost> cost(String model, Usage usage) {
    return current.calculator().cost(model, usage);
  }

  /** The table in use, run-time prices included. */
  public PriceTable table() {
    return current.table();
  }

  /**
   * Lays {@code prices} (every run-time price, replacing the previous set) over the table and
   * keel.yaml's overrides. A rate a price leaves null keeps the table's rate for that model.
   */
  public void useRuntimePrices(List<PriceOverride> prices) {
    var out = new LinkedHashMap<String, ModelPrice>();
    var by = new LinkedHashMap<String, PriceOverride>();
    for (PriceOverride p : prices) {
      TokenRates rates = new TokenRates(perToken(p.inputPerMillion()),
          perToken(p.outputPerMillion()), perToken(p.cacheReadPerMillion()),
          perToken(p.cacheWritePerMillion()), null, null, null);
      out.put(p.model(), configured.find(p.model())
          .filter(existing -> existing.provider().equals(p.provider()))
          .map(existing -> existing.withRates(existing.rates().overriddenBy(rates)))
          .orElseGet(() -> new ModelPrice(p.provider(), "chat", null, null, rates, Map.of(),
              List.of(), List.of())));
      by.put(p.model(), p);
    }
    current = new Snapshot(configured.withOverrides(out), Map.copyOf(by));
  }

  /**
   * Where the price of table entry {@code name} comes from: the run-time price (who set it),
   * keel.yaml, or the table's source.
   */
  public String source(String name) {
    PriceOverride set = current.runtime().get(name);
    if (set != null) {
      return "set in Settings" + (set.updatedBy() == null ? "" : " by " + set.updatedBy());
    }
    return configuredModels.contains(name) ? "keel.yaml" : tableSource;
  }

  private record Snapshot(PriceTable table, CostCalculator calculator,
      Map<String, PriceOverride> runtime) {
    Snapshot(PriceTable table, Map<String, PriceOverride> runtime) {
      this(table, new CostCalculator(table), runtime);
    }
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
              List.of(), List.of()));
      // Under the name clients use only: a model entry that renames gpt-4o-mini must not
      // re-price every other call of gpt-4o-mini (its deployment is priced by this name).
      out.put(m.name(), price);
    }
    return out;
  }

  private static BigDecimal perToken(BigDecimal perMillion) {
    return perMillion == null ? null : perMillion.divide(MILLION);
  }
}
