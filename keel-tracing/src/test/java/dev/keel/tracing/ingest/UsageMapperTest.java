package dev.keel.tracing.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keel.core.cost.Cost;
import dev.keel.core.usage.Usage;
import java.util.Map;
import org.junit.jupiter.api.Test;

class UsageMapperTest {

  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

  @Test
  void usage_legacyCamelForm_inputOutputTotal() {
    Usage u = UsageMapper.usage(json("{\"usage\":{\"promptTokens\":10,\"completionTokens\":4}}"));

    assertThat(u.details()).isEqualTo(Map.of("input", 10L, "output", 4L, "total", 14L));
  }

  @Test
  void usage_openAiChatForm_detailsSplitOutWithoutDoubleCounting() {
    Usage u = UsageMapper.usage(json("{\"usageDetails\":{\"prompt_tokens\":100,"
        + "\"completion_tokens\":30,\"total_tokens\":130,\"prompt_tokens_details\":"
        + "{\"cached_tokens\":40,\"audio_tokens\":0},\"completion_tokens_details\":"
        + "{\"reasoning_tokens\":10}}}"));

    assertThat(u.details()).isEqualTo(Map.of("input", 60L, "output", 20L,
        "input_cached_tokens", 40L, "output_reasoning_tokens", 10L, "total", 130L));
  }

  @Test
  void usage_responsesForm_detailsSplitOut() {
    Usage u = UsageMapper.usage(json("{\"usageDetails\":{\"input_tokens\":50,"
        + "\"output_tokens\":20,\"input_tokens_details\":{\"cached_tokens\":5}}}"));

    assertThat(u.details()).isEqualTo(Map.of("input", 45L, "output", 20L,
        "input_cached_tokens", 5L, "total", 70L));
  }

  @Test
  void usage_flatMap_keepsCountsParsesStringsSkipsNulls_andRenamesAnthropicKeys() {
    Usage u = UsageMapper.usage(json("{\"usageDetails\":{\"input_tokens\":7,"
        + "\"cache_read_input_tokens\":3,\"output\":\"4\",\"audio\":null,"
        + "\"whole\":2.0}}"));

    assertThat(u.details()).isEqualTo(Map.of("input", 7L, "input_cached_tokens", 3L,
        "output", 4L, "whole", 2L, "total", 16L));
  }

  @Test
  void usage_badTokenCounts_areTheEventsErrorNamingFieldAndValue() {
    assertThatThrownBy(() -> UsageMapper.usage(json("{\"usageDetails\":{\"input\":5,"
        + "\"bad\":-1}}"))).isInstanceOf(InvalidEvent.class)
        .hasMessage("body.usageDetails.bad must be a whole number of tokens from 0 to"
            + " 1000000000, got -1");
    assertThatThrownBy(() -> UsageMapper.usage(json("{\"usageDetails\":{\"worse\":\"x\"}}")))
        .hasMessage("body.usageDetails.worse must be a whole number of tokens from 0 to 1000000000,"
            + " got \"x\"");
    assertThatThrownBy(() -> UsageMapper.usage(json("{\"usageDetails\":{\"frac\":1.5}}")))
        .hasMessageStartingWith("body.usageDetails.frac must be a whole number");
    assertThatThrownBy(() -> UsageMapper.usage(json("{\"usage\":{\"promptTokens\":-3}}")))
        .hasMessage("body.usage.promptTokens must be a whole number of tokens from 0 to 1000000000,"
            + " got -3");
    assertThatThrownBy(() -> UsageMapper.usage(json("{\"usage\":{\"output\":true}}")))
        .hasMessageStartingWith("body.usage.output must be a whole number");
    assertThatThrownBy(() -> UsageMapper.usage(json("{\"usageDetails\":{\"prompt_tokens\":9,"
        + "\"prompt_tokens_details\":{\"cached_tokens\":\"many\"}}}")))
        .hasMessage("body.usageDetails.prompt_tokens_details.cached_tokens must be a whole"
            + " number of tokens from 0 to 1000000000, got \"many\"");
    assertThatThrownBy(() -> UsageMapper.usage(json("{\"usageDetails\":{\"input\":1e400}}")))
        .hasMessageStartingWith("body.usageDetails.input must be a whole number");
  }

  @Test
  void usage_emptyObjects_none() {
    assertThat(UsageMapper.usage(json("{\"usage\":{},\"usageDetails\":{}}"))).isEqualTo(Usage.NONE);
  }

  @Test
  void cost_legacyAndDetails_mergedExactly_totalSummedWhenMissing() {
    Cost c = UsageMapper.cost(json("{\"usage\":{\"inputCost\":0.1},\"costDetails\":"
        + "{\"output\":0.0000025,\"none\":null}}"));

    assertThat(c.details().get("input")).isEqualByComparingTo("0.1");
    assertThat(c.details()).doesNotContainKey("none");
    assertThat(c.total()).isEqualByComparingTo("0.1000025");
  }

  // Counts and costs beyond these made sums or prices overflow and failed the whole request.
  @Test
  void usageAndCost_outOfRange_areTheEventsErrorNamingFieldAndValue() {
    assertThat(UsageMapper.usage(json("{\"usage\":{\"input\":1000000000}}")).get("input"))
        .isEqualTo(1_000_000_000L);
    assertThatThrownBy(() -> UsageMapper.usage(json("{\"usage\":{\"input\":1000000001}}")))
        .hasMessage("body.usage.input must be a whole number of tokens from 0 to 1000000000,"
            + " got 1000000001");
    assertThatThrownBy(() -> UsageMapper.usage(json(
        "{\"usageDetails\":{\"input\":9223372036854775807,\"output\":1}}")))
        .hasMessageStartingWith("body.usageDetails.input must be a whole number");
    assertThatThrownBy(() -> UsageMapper.usage(json("{\"usageDetails\":{\"a\":\"5000000000\"}}")))
        .hasMessageStartingWith("body.usageDetails.a must be a whole number");
    assertThat(UsageMapper.cost(json("{\"usage\":{\"totalCost\":1000000}}")).total())
        .isEqualByComparingTo("1000000");
    assertThatThrownBy(() -> UsageMapper.cost(json("{\"usage\":{\"totalCost\":1e8}}")))
        .isInstanceOf(InvalidEvent.class)
        .hasMessage("body.usage.totalCost must be a cost in USD from 0 to 1000000, got 1E+8");
    assertThatThrownBy(() -> UsageMapper.cost(json("{\"costDetails\":{\"total\":-5}}")))
        .hasMessage("body.costDetails.total must be a cost in USD from 0 to 1000000, got -5");
    assertThatThrownBy(() -> UsageMapper.cost(json(
        "{\"costDetails\":{\"input\":1000000,\"output\":0.5}}")))
        .hasMessage("the costs sent add up to more than 1000000 USD: 1000000.5");
    assertThat(UsageMapper.cost(json(
        "{\"costDetails\":{\"input\":1000000,\"output\":1000000,\"total\":2}}")).total())
        .isEqualByComparingTo("2");
    assertThatThrownBy(() -> UsageMapper.cost(json("{\"costDetails\":{\"x\":\"0.5\"}}")))
        .hasMessage("body.costDetails.x must be a cost in USD from 0 to 1000000, got \"0.5\"");
  }

  @Test
  void cost_none_isNull() {
    assertThat(UsageMapper.cost(json("{\"costDetails\":{}}"))).isNull();
  }

  @Test
  void environment_langfuseRule() {
    assertThat(Fields.environment(json("{\"environment\":\"Langfuse-langfuse_Prod\"}")))
        .isEqualTo("prod");
    assertThat(Fields.environment(json("{\"environment\":\"not valid!\"}")))
        .isEqualTo("default");
    assertThat(Fields.environment(json("{}"))).isEqualTo("default");
  }

  private static JsonNode json(String s) {
    try {
      return JSON.readTree(s);
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }
}
