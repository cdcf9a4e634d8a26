package dev.keel.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keel.core.cost.Cost;
import dev.keel.core.cost.ModelPrice;
import dev.keel.core.usage.Usage;
import dev.keel.gateway.config.KeelConfig;
import dev.keel.store.PriceOverride;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Run-time prices (web UI Settings) laid over the bundled table. */
class PricingRuntimeTest {

  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  // 1,000 prompt tokens of which 400 read from cache, 100 completion tokens.
  private static final Usage USAGE = Usage.fromTotals(1000, 400, 0, 0, 100, 0, 0, false);

  private final Pricing pricing = Pricing.from(KeelConfig.EMPTY, null);

  @Test
  void useRuntimePrices_tableModel_overridesGivenRatesAndKeepsTheOthers() {
    ModelPrice table = pricing.table().find("gpt-4o-mini").orElseThrow();

    pricing.useRuntimePrices(List.of(price("gpt-4o-mini", "openai", "100", null)));

    ModelPrice now = pricing.table().find("gpt-4o-mini").orElseThrow();
    assertThat(now.rates().input()).isEqualByComparingTo("0.0001");
    assertThat(now.rates().output()).isEqualByComparingTo(table.rates().output());
    assertThat(now.rates().cacheRead()).isEqualByComparingTo(table.rates().cacheRead());
    assertThat(cost("gpt-4o-mini")).isEqualByComparingTo(new BigDecimal("0.06")
        .add(table.rates().cacheRead().multiply(BigDecimal.valueOf(400)))
        .add(table.rates().output().multiply(BigDecimal.valueOf(100))));
    assertThat(pricing.source("gpt-4o-mini")).isEqualTo("set in Settings by ann");
  }

  @Test
  void useRuntimePrices_newModel_isPricedAndTheNextSetReplacesIt() {
    assertThat(pricing.cost("acme-1", USAGE)).isEmpty();

    pricing.useRuntimePrices(List.of(price("acme-1", "openai", "1", "2")));
    BigDecimal priced = cost("acme-1");
    pricing.useRuntimePrices(List.of());

    assertThat(priced).isEqualByComparingTo("0.0012");
    assertThat(pricing.cost("acme-1", USAGE)).isEmpty();
    assertThat(pricing.source("gpt-4o")).isEqualTo("LiteLLM table bundled with Keel");
  }

  private BigDecimal cost(String model) {
    return pricing.cost(model, USAGE).map(Cost::total).orElseThrow();
  }

  private static PriceOverride price(String model, String provider, String input,
      String output) {
    return new PriceOverride(model, provider, input == null ? null : new BigDecimal(input),
        output == null ? null : new BigDecimal(output), null, null, T0, "ann");
  }
}
