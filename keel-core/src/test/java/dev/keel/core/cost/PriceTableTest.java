package dev.keel.core.cost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PriceTableTest {

  private static final PriceTable TABLE = PriceTable.bundled();

  @TempDir
  Path dir;

  @Test
  void bundled_holdsEveryModelButTheSpec() {
    assertThat(TABLE.size()).isEqualTo(2_668);
    assertThat(TABLE.entries()).doesNotContainKey("sample_spec");
    assertThat(PriceTable.bundled()).isSameAs(TABLE);
  }

  @Test
  void bundled_readsPricesAsExactDecimals() {
    ModelPrice price = TABLE.find("gpt-4o-mini").orElseThrow();

    assertThat(price.rates().input()).isEqualByComparingTo("0.00000015");
    assertThat(price.rates().cacheRead().toPlainString()).isEqualTo("0.000000075");
    assertThat(price.provider()).isEqualTo("openai");
    assertThat(price.mode()).isEqualTo("chat");
  }

  @Test
  void bundled_readsServiceTiers() {
    ModelPrice price = TABLE.find("gpt-5-nano").orElseThrow();

    assertThat(price.serviceTiers()).containsOnlyKeys("flex", "priority");
    assertThat(price.serviceTiers().get("flex").input()).isEqualByComparingTo("2.5e-8");
  }

  @Test
  void find_undatedNameInOtherCase_resolvesToSnapshot() {
    assertThat(TABLE.find("Claude-3-7-Sonnet"))
        .isEqualTo(TABLE.find("claude-3-7-sonnet-20250219"));
  }

  @Test
  void bundled_readsContextTiersFromKeyNames() {
    ModelPrice price = TABLE.find("gemini/gemini-2.5-pro").orElseThrow();

    assertThat(price.contextTiers()).hasSize(2);
    assertThat(price.contextTiers()).filteredOn(t -> t.serviceTier() == null).singleElement()
        .satisfies(tier -> {
          assertThat(tier.aboveTokens()).isEqualTo(200_000);
          assertThat(tier.rates().input()).isEqualByComparingTo("0.0000025");
          assertThat(tier.rates().cacheRead()).isEqualByComparingTo("0.00000025");
        });
    assertThat(price.contextTiers()).filteredOn(t -> "priority".equals(t.serviceTier()))
        .singleElement()
        .satisfies(tier -> assertThat(tier.rates().output()).isEqualByComparingTo("0.000015"));
  }

  @Test
  void find_providerPrefixedFirstPartyName_stripsPrefix() {
    assertThat(TABLE.find("openai/gpt-4o")).isEqualTo(TABLE.find("gpt-4o"));
    assertThat(TABLE.find("anthropic/claude-3-5-haiku-20241022").orElseThrow().provider())
        .isEqualTo("anthropic");
  }

  @Test
  void find_prefixOfOtherProvider_doesNotBorrowFirstPartyPrice() {
    assertThat(TABLE.find("groq/gpt-4o-mini-unknown")).isEmpty();
    assertThat(TABLE.find("fireworks_ai/gpt-4o")).isEmpty();
  }

  @Test
  void find_bareNameOfPrefixedProvider_addsPrefix() {
    assertThat(TABLE.find("grok-4")).isEqualTo(TABLE.find("xai/grok-4"));
    assertThat(TABLE.find("grok-4").orElseThrow().provider()).isEqualTo("xai");
  }

  @Test
  void find_withProvider_prefersDeploymentsOwnEntry() {
    ModelPrice azure = TABLE.find("azure", "gpt-4o-mini").orElseThrow();

    assertThat(azure.provider()).isEqualTo("azure");
    assertThat(TABLE.find("openai", "gpt-4o-mini").orElseThrow().provider()).isEqualTo("openai");
    assertThat(TABLE.find("groq", "gpt-4o")).isEmpty();
  }

  @Test
  void find_unknownDatedSnapshot_resolvesToBase() {
    assertThat(TABLE.find("gpt-4o-mini-2099-01-01")).isEqualTo(TABLE.find("gpt-4o-mini"));
    assertThat(TABLE.find("openai/gpt-4o-2099-01-01")).isEqualTo(TABLE.find("gpt-4o"));
  }

  @Test
  void find_undatedNameWithOnlyDatedEntries_resolvesToNewestSnapshot() {
    assertThat(TABLE.entries()).doesNotContainKey("claude-sonnet-4");

    assertThat(TABLE.find("claude-sonnet-4"))
        .isEqualTo(TABLE.find("claude-sonnet-4-20250514"))
        .isPresent();
    assertThat(TABLE.find("anthropic/claude-3-7-sonnet"))
        .isEqualTo(TABLE.find("claude-3-7-sonnet-20250219"));
  }

  @Test
  void find_differentCase_fallsBackToCaseInsensitive() {
    assertThat(TABLE.find("GPT-4o-Mini")).isEqualTo(TABLE.find("gpt-4o-mini")).isPresent();
  }

  @Test
  void find_fineTunedModel_usesItsBaseFineTunePrice() {
    assertThat(TABLE.find("ft:gpt-4o-mini-2024-07-18:acme:support:abc123"))
        .isEqualTo(TABLE.find("ft:gpt-4o-mini-2024-07-18"))
        .isPresent();
  }

  @Test
  void find_bedrockRegionWithoutOwnEntry_usesBaseBedrockEntry() {
    assertThat(TABLE.entries()).doesNotContainKey("jp.anthropic.claude-3-haiku-20240307-v1:0");

    assertThat(TABLE.find("jp.anthropic.claude-3-haiku-20240307-v1:0"))
        .isEqualTo(TABLE.find("anthropic.claude-3-haiku-20240307-v1:0"))
        .isPresent();
  }

  @Test
  void find_geminiRevisionSuffix_resolvesToUnrevisedName() {
    assertThat(TABLE.find("gemini/gemini-2.5-flash-001"))
        .isEqualTo(TABLE.find("gemini/gemini-2.5-flash"))
        .isPresent();
  }

  @Test
  void find_vertexPrefix_matchesVertexFamilyEntry() {
    ModelPrice price = TABLE.find("vertex_ai/gemini-2.5-pro").orElseThrow();

    assertThat(price.provider()).isEqualTo("vertex_ai-language-models");
  }

  @Test
  void find_blankOrUnknown_isEmpty() {
    assertThat(TABLE.find("  ")).isEmpty();
    assertThat(TABLE.find("totally-made-up-model")).isEmpty();
  }

  @Test
  void maxInputTokens_knownModel_givesContextWindow() {
    // LiteLLM issue 31557: a fallback to gpt-4 must be skipped for prompts over 8,192 tokens.
    assertThat(TABLE.maxInputTokens("gpt-4")).contains(8_192);
    assertThat(TABLE.maxInputTokens("gpt-4o")).contains(128_000);
    assertThat(TABLE.maxInputTokens("totally-made-up-model")).isEmpty();
  }

  @Test
  void withOverrides_replacesAndAdds_leavingOriginalUntouched() {
    ModelPrice custom = ModelPrice.perToken("openai", BigDecimal.ONE, BigDecimal.TEN);

    PriceTable overridden = TABLE.withOverrides(Map.of("gpt-4o", custom, "my-model", custom));

    assertThat(overridden.find("openai/gpt-4o")).contains(custom);
    assertThat(overridden.find("my-model")).contains(custom);
    assertThat(overridden.size()).isEqualTo(TABLE.size() + 1);
    assertThat(TABLE.find("gpt-4o")).isNotEqualTo(overridden.find("gpt-4o"));
  }

  @Test
  void load_validFile_parsesNumericStringsAndSkipsSpec() throws IOException {
    Path file = write("""
        {"sample_spec": {"max_input_tokens": "text"},
         "m": {"litellm_provider": "p", "input_cost_per_token": "3e-7",
               "output_cost_per_token": 6e-7, "max_input_tokens": 2000000.0}}
        """);

    PriceTable table = PriceTable.load(file);

    assertThat(table.size()).isEqualTo(1);
    assertThat(table.find("m").orElseThrow().rates().input()).isEqualByComparingTo("3e-7");
    assertThat(table.maxInputTokens("m")).contains(2_000_000);
  }

  @Test
  void load_badPrice_namesEntryAndField() throws IOException {
    Path file = write("""
        {"good": {"litellm_provider": "p", "input_cost_per_token": 1e-6},
         "bad-model": {"litellm_provider": "p", "input_cost_per_token": "cheap"}}
        """);

    assertThatThrownBy(() -> PriceTable.load(file))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'bad-model'")
        .hasMessageContaining("input_cost_per_token must be a number: \"cheap\"");
  }

  @Test
  void load_negativePriceOrMissingProvider_rejected() throws IOException {
    Path negative = write("{\"m\": {\"litellm_provider\": \"p\", \"output_cost_per_token\": -1}}");
    Path noProvider = write("{\"m\": {\"input_cost_per_token\": 1e-6}}");

    assertThatThrownBy(() -> PriceTable.load(negative))
        .hasMessageContaining("'m'")
        .hasMessageContaining("output_cost_per_token must be non-negative: -1");
    assertThatThrownBy(() -> PriceTable.load(noProvider))
        .hasMessageContaining("'m'")
        .hasMessageContaining("litellm_provider is required");
  }

  @Test
  void load_notAnObjectOrNotJson_rejected() throws IOException {
    Path array = write("[1, 2]");
    Path broken = write("{\"m\": ");

    assertThatThrownBy(() -> PriceTable.load(array))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("must hold a JSON object");
    assertThatThrownBy(() -> PriceTable.load(broken)).isInstanceOf(UncheckedIOException.class);
  }

  @Test
  void load_noModelEntries_rejectedSayingSo() throws IOException {
    Path empty = write("{}");
    Path onlySpec = write("{\"sample_spec\": {\"litellm_provider\": \"p\"}}");

    assertThatThrownBy(() -> PriceTable.load(empty))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("price table " + empty + " has no model entries; expected LiteLLM's "
            + "model_prices_and_context_window.json format, an object of model names to prices");
    assertThatThrownBy(() -> PriceTable.load(onlySpec))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("has no model entries");
  }

  private Path write(String json) throws IOException {
    Path file = Files.createTempFile(dir, "prices", ".json");
    Files.writeString(file, json);
    return file;
  }
}
