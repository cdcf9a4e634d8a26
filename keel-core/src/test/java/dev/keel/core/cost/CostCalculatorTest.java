package dev.keel.core.cost;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keel.core.usage.Usage;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CostCalculatorTest {

  private static final CostCalculator BUNDLED = CostCalculator.bundled();

  @Test
  void cost_gpt4oMiniAllCached_billsCachedTokensAtCacheRateOnly() {
    Usage usage = Usage.fromTotals(14, 14, 0, 0, 10, 0, 0, false);

    Cost cost = BUNDLED.cost("gpt-4o-mini", usage).orElseThrow();

    assertThat(cost.total()).isEqualByComparingTo("0.00000705");
    assertThat(cost.details().get(Usage.INPUT_CACHED)).isEqualByComparingTo("0.00000105");
    assertThat(cost.details().get(Usage.INPUT)).isEqualByComparingTo("0");
    assertThat(cost.details().get(Usage.OUTPUT)).isEqualByComparingTo("0.000006");
  }

  @Test
  void cost_datedGpt4oMiniCachedAndUncached_matchesLiteLlmPromptCachingTest() {
    Usage cached = Usage.fromTotals(14, 14, 0, 0, 10, 0, 0, false);
    Usage uncached = Usage.fromTotals(14, 0, 0, 0, 10, 0, 0, false);

    BigDecimal cachedTotal = BUNDLED.cost("gpt-4o-mini-2024-07-18", cached).orElseThrow().total();
    BigDecimal plainTotal = BUNDLED.cost("gpt-4o-mini-2024-07-18", uncached).orElseThrow().total();

    assertThat(cachedTotal).isEqualByComparingTo("7.05e-6");
    assertThat(plainTotal).isEqualByComparingTo("8.1e-6");
  }

  @Test
  void cost_claudeHaikuWithCacheWrite_billsWritesAtCacheWriteRate() {
    Usage usage = Usage.fromTotals(28_436, 0, 2_000, 0, 90, 0, 0, false);

    Cost cost = BUNDLED.cost("claude-3-5-haiku-20241022", usage).orElseThrow();

    BigDecimal inputSide = cost.details().get(Usage.INPUT)
        .add(cost.details().get(Usage.INPUT_CACHE_CREATION));
    assertThat(inputSide).isEqualByComparingTo("0.0231488");
    assertThat(cost.details().get(Usage.INPUT_CACHE_CREATION)).isEqualByComparingTo("0.002");
    assertThat(cost.total()).isEqualByComparingTo("0.0235088");
  }

  @Test
  void cost_geminiFlashImplicitCaching_matchesLiteLlmTest() {
    Usage usage = Usage.fromTotals(15_033, 14_316, 0, 0, 17, 0, 0, false);

    Cost cost = BUNDLED.cost("gemini/gemini-2.5-flash", usage).orElseThrow();

    assertThat(cost.total()).isEqualByComparingTo("0.00068708");
  }

  @Test
  void cost_reasoningWithoutReasoningRate_billsReasoningAtOutputRate() {
    Usage usage = Usage.fromTotals(17, 0, 0, 0, 977, 768, 0, false);

    Cost cost = BUNDLED.cost("gpt-5-nano", usage).orElseThrow();

    assertThat(cost.details().get(Usage.INPUT)).isEqualByComparingTo("8.5e-7");
    assertThat(cost.details().get(Usage.OUTPUT_REASONING)).isEqualByComparingTo("3.072e-4");
    assertThat(cost.total()).isEqualByComparingTo("0.00039165");
  }

  @Test
  void cost_reasoningRateGiven_billsReasoningAtThatRate() {
    TokenRates rates = new TokenRates(new BigDecimal("1e-6"), new BigDecimal("2e-6"), null,
        null, new BigDecimal("5e-6"), null, null);
    ModelPrice price = ModelPrice.perToken("test", BigDecimal.ONE, BigDecimal.ONE)
        .withRates(rates);

    Cost cost = BUNDLED.cost(price, Usage.fromTotals(0, 0, 0, 0, 30, 10, 0, false));

    assertThat(cost.details().get(Usage.OUTPUT)).isEqualByComparingTo("0.00004");
    assertThat(cost.details().get(Usage.OUTPUT_REASONING)).isEqualByComparingTo("0.00005");
  }

  @Test
  void cost_gpt5NanoStandardTier_matchesLiteLlmDefaultPricingTest() {
    Usage usage = Usage.fromTotals(1_000, 0, 0, 0, 500, 0, 0, false);

    Cost cost = BUNDLED.cost("gpt-5-nano", usage).orElseThrow();

    assertThat(cost.total()).isEqualByComparingTo("0.00025");
  }

  @Test
  void cost_gpt5NanoFlexTier_matchesLiteLlmFlexPricingTest() {
    Usage usage = Usage.fromTotals(1_000, 0, 0, 0, 500, 0, 0, false);

    Cost flex = BUNDLED.cost("gpt-5-nano", usage, "flex").orElseThrow();
    Cost unknownTier = BUNDLED.cost("gpt-5-nano", usage, "scale").orElseThrow();

    assertThat(flex.total()).isEqualByComparingTo("0.000125");
    assertThat(unknownTier.total()).isEqualByComparingTo("0.00025");
  }

  @Test
  void cost_priorityAbove200k_usesPriorityTierRatesElseStandardOnes() {
    Usage usage = Usage.fromTotals(250_000, 0, 0, 0, 1_000, 0, 0, false);
    ModelPrice price = PriceTable.bundled().find("gemini/gemini-2.5-pro").orElseThrow();
    TokenRates ownTier = new TokenRates(new BigDecimal("9e-6"), null, null, null, null, null,
        null);
    ModelPrice withOwnTier = new ModelPrice(price.provider(), price.mode(), null, null,
        price.rates(), price.serviceTiers(),
        List.of(new ContextTier(200_000, TokenRates.of(new BigDecimal("2.5e-6"),
            new BigDecimal("1.5e-5"))), new ContextTier(200_000, "priority", ownTier)),
        List.of());

    Cost bundled = BUNDLED.cost(price, usage, "priority");
    Cost custom = BUNDLED.cost(withOwnTier, usage, "priority");

    // Bundled: 250,000 x 2.5e-6 + 1,000 x 1.5e-5 (the priority keys equal standard here).
    assertThat(bundled.total()).isEqualByComparingTo("0.64");
    assertThat(custom.details().get(Usage.INPUT)).isEqualByComparingTo("2.25");
    assertThat(custom.details().get(Usage.OUTPUT)).isEqualByComparingTo("0.015");
  }

  @Test
  void cost_audioTokens_billedAtAudioRate() {
    Usage usage = Usage.fromTotals(14, 0, 0, 14, 45, 0, 0, false);

    Cost cost = BUNDLED.cost("gpt-4o-transcribe", usage).orElseThrow();

    assertThat(cost.details().get(Usage.INPUT_AUDIO)).isEqualByComparingTo("0.000084");
    assertThat(cost.total()).isEqualByComparingTo("0.000534");
  }

  @Test
  void cost_audioTokensWithoutAudioRate_billedAtBaseRates() {
    ModelPrice price = ModelPrice.perToken("test", new BigDecimal("1e-6"), new BigDecimal("2e-6"));

    Cost cost = BUNDLED.cost(price, Usage.fromTotals(10, 0, 0, 10, 5, 0, 5, false));

    assertThat(cost.details().get(Usage.INPUT_AUDIO)).isEqualByComparingTo("0.00001");
    assertThat(cost.details().get(Usage.OUTPUT_AUDIO)).isEqualByComparingTo("0.00001");
  }

  @Test
  void cost_cachedTokensWithoutCacheRate_billedAtInputRate() {
    ModelPrice price = ModelPrice.perToken("test", new BigDecimal("1e-6"), new BigDecimal("2e-6"));

    Cost cost = BUNDLED.cost(price, Usage.fromTotals(10, 4, 0, 0, 0, 0, 0, false));

    assertThat(cost.details().get(Usage.INPUT_CACHED)).isEqualByComparingTo("0.000004");
    assertThat(cost.total()).isEqualByComparingTo("0.00001");
  }

  @Test
  void cost_customPriceOverride_matchesLiteLlmCustomPricingTest() {
    String model = "ft:gpt-3.5-turbo:my-org:custom_suffix:id";
    PriceTable table = PriceTable.bundled().withOverrides(Map.of(model,
        ModelPrice.perToken("openai", new BigDecimal("1000"), new BigDecimal("20"))));
    Usage usage = Usage.fromTotals(21, 0, 0, 0, 17, 0, 0, false);

    Cost cost = new CostCalculator(table).cost(model, usage).orElseThrow();

    assertThat(cost.total()).isEqualByComparingTo("21340");
  }

  @Test
  void cost_geminiProAbove200kWithCaching_billsCachedOnceAtTierCacheRate() {
    // LiteLLM issue 14849: cached tokens were charged at the input rate and the cache rate.
    Usage usage = Usage.fromTotals(262_960, 257_955, 0, 0, 1_744, 0, 0, false);

    Cost cost = BUNDLED.cost("vertex_ai/gemini-2.5-pro", usage).orElseThrow();

    assertThat(cost.details().get(Usage.INPUT)).isEqualByComparingTo("0.0125125");
    assertThat(cost.details().get(Usage.INPUT_CACHED)).isEqualByComparingTo("0.06448875");
    assertThat(cost.details().get(Usage.OUTPUT)).isEqualByComparingTo("0.02616");
    assertThat(cost.total()).isEqualByComparingTo("0.10316125");
  }

  @Test
  void cost_promptExactlyAtThreshold_staysInBaseTier() {
    Usage atThreshold = Usage.fromTotals(200_000, 0, 0, 0, 0, 0, 0, false);
    Usage justAbove = Usage.fromTotals(200_001, 0, 0, 0, 0, 0, 0, false);

    BigDecimal base = BUNDLED.cost("gemini/gemini-2.5-pro", atThreshold).orElseThrow().total();
    BigDecimal tier = BUNDLED.cost("gemini/gemini-2.5-pro", justAbove).orElseThrow().total();

    assertThat(base).isEqualByComparingTo("0.25");
    assertThat(tier).isEqualByComparingTo("0.5000025");
  }

  @Test
  void cost_cachedTokensCountTowardTierThreshold() {
    Usage usage = Usage.fromTotals(200_001, 200_000, 0, 0, 0, 0, 0, false);

    Cost cost = BUNDLED.cost("gemini/gemini-2.5-pro", usage).orElseThrow();

    assertThat(cost.details().get(Usage.INPUT_CACHED)).isEqualByComparingTo("0.05");
    assertThat(cost.details().get(Usage.INPUT)).isEqualByComparingTo("0.0000025");
  }

  @Test
  void cost_xaiTextTokensIncludingCached_billsOneFullRateToken() {
    // LiteLLM issue 14874: xAI reported 616 prompt tokens, 615 of them cached.
    Usage usage = Usage.fromTotals(616, 615, 0, 0, 0, 0, 0, false);

    Cost cost = BUNDLED.cost("xai/grok-3", usage).orElseThrow();

    assertThat(cost.details().get(Usage.INPUT)).isEqualByComparingTo("0.000003");
    assertThat(cost.details().get(Usage.INPUT_CACHED)).isEqualByComparingTo("0.00046125");
    assertThat(cost.total()).isEqualByComparingTo("0.00046425");
  }

  @Test
  void cost_unknownModel_isEmptyNotZero() {
    Usage usage = Usage.fromTotals(10, 0, 0, 0, 10, 0, 0, false);

    assertThat(BUNDLED.cost("no-such-model-anywhere", usage)).isEmpty();
  }

  @Test
  void cost_modelPricedPerSecondOnly_isEmptyNotZero() {
    Usage usage = Usage.fromTotals(10, 0, 0, 0, 10, 0, 0, false);

    assertThat(PriceTable.bundled().find("whisper-1")).isPresent();
    assertThat(BUNDLED.cost("whisper-1", usage)).isEmpty();
  }

  @Test
  void cost_embeddingWithoutOutputPrice_billsInputOnly() {
    Usage usage = Usage.fromTotals(1_000, 0, 0, 0, 0, 0, 0, false);

    Cost cost = BUNDLED.cost("text-embedding-3-small", usage).orElseThrow();

    assertThat(cost.total()).isEqualByComparingTo("0.00002");
  }

  @Test
  void cost_details_keyedByUsageKeysAndTotalIsExactSum() {
    Usage usage = Usage.fromTotals(100, 30, 0, 0, 50, 20, 0, false);

    Cost cost = BUNDLED.cost("gpt-4o", usage).orElseThrow();

    assertThat(cost.details()).containsOnlyKeys(Usage.INPUT, Usage.INPUT_CACHED, Usage.OUTPUT,
        Usage.OUTPUT_REASONING, Cost.TOTAL);
    BigDecimal sum = cost.details().entrySet().stream()
        .filter(e -> !e.getKey().equals(Cost.TOTAL))
        .map(Map.Entry::getValue)
        .reduce(BigDecimal.ZERO, BigDecimal::add);
    assertThat(cost.total()).isEqualByComparingTo(sum).isEqualByComparingTo("0.0007125");
  }

  @Test
  void cost_staleTierRemovedByOverride_billsFlatRateAbove200k() {
    PriceTable table = PriceTable.bundled();
    ModelPrice opus = table.find("claude-opus-4-6").orElseThrow();
    var calculator = new CostCalculator(
        table.withOverrides(Map.of("claude-opus-4-6", opus.withoutContextTiers())));
    Usage usage = Usage.fromTotals(300_000, 0, 0, 0, 0, 0, 0, false);

    Cost stale = BUNDLED.cost("claude-opus-4-6", usage).orElseThrow();
    Cost fixed = calculator.cost("claude-opus-4-6", usage).orElseThrow();

    assertThat(stale.total()).isEqualByComparingTo("3.0");
    assertThat(fixed.total()).isEqualByComparingTo("1.5");
  }

  @Test
  void cost_graduatedBands_billEachSliceAtItsRate() {
    Usage usage = Usage.fromTotals(300_000, 0, 0, 0, 1_000, 0, 0, false);

    Cost cost = BUNDLED.cost("dashscope/qwen-flash", usage).orElseThrow();

    // 256,000 x 5e-8 + 44,000 x 2.5e-7 on input; 1,000 x 4e-7 on output.
    assertThat(cost.details().get(Usage.INPUT)).isEqualByComparingTo("0.0238");
    assertThat(cost.details().get(Usage.OUTPUT)).isEqualByComparingTo("0.0004");
  }

  @Test
  void cost_graduatedBandsCachedTokens_billedAtFirstBandCacheRate() {
    TokenRates low = new TokenRates(new BigDecimal("1e-6"), new BigDecimal("2e-6"),
        new BigDecimal("1e-7"), null, null, null, null);
    TokenRates high = TokenRates.of(new BigDecimal("3e-6"), new BigDecimal("6e-6"));
    ModelPrice price = new ModelPrice("test", "chat", null, null, TokenRates.NONE, Map.of(),
        List.of(), List.of(new PriceBand(0, 100, low), new PriceBand(100, 1_000, high)));

    Cost cost = BUNDLED.cost(price, Usage.fromTotals(250, 100, 0, 0, 150, 0, 0, false));

    assertThat(cost.details().get(Usage.INPUT)).isEqualByComparingTo("0.00025");
    assertThat(cost.details().get(Usage.INPUT_CACHED)).isEqualByComparingTo("0.00001");
    assertThat(cost.details().get(Usage.OUTPUT)).isEqualByComparingTo("0.0005");
  }
}
