package dev.keel.providers;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keel.core.usage.Usage;
import org.junit.jupiter.api.Test;

class UsageParserTest {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  @Test
  void openAi_cachedAndReasoningTokens_splitOutNotDoubleCounted() throws Exception {
    JsonNode usage = MAPPER.readTree("""
        {"prompt_tokens": 100, "completion_tokens": 50, "total_tokens": 150,
         "prompt_tokens_details": {"cached_tokens": 30, "audio_tokens": 5},
         "completion_tokens_details": {"reasoning_tokens": 20, "audio_tokens": 0}}""");

    Usage u = UsageParser.openAi(usage);

    assertThat(u.details()).containsEntry(Usage.INPUT, 65L).containsEntry(Usage.INPUT_CACHED, 30L)
        .containsEntry(Usage.INPUT_AUDIO, 5L).containsEntry(Usage.OUTPUT, 30L)
        .containsEntry(Usage.OUTPUT_REASONING, 20L).containsEntry(Usage.TOTAL, 150L)
        .doesNotContainKey(Usage.OUTPUT_AUDIO);
    assertThat(u.promptTokens()).isEqualTo(100);
    assertThat(u.completionTokens()).isEqualTo(50);
  }

  @Test
  void anthropic_cacheReadAndWrite_addedToPromptSide() throws Exception {
    JsonNode usage = MAPPER.readTree("""
        {"input_tokens": 10, "cache_read_input_tokens": 200,
         "cache_creation_input_tokens": 40, "output_tokens": 7}""");

    Usage u = UsageParser.anthropic(usage);

    assertThat(u.details()).containsEntry(Usage.INPUT, 10L)
        .containsEntry(Usage.INPUT_CACHED, 200L).containsEntry(Usage.INPUT_CACHE_CREATION, 40L)
        .containsEntry(Usage.OUTPUT, 7L).containsEntry(Usage.TOTAL, 257L);
  }

  @Test
  void of_bodyWithoutUsage_none() throws Exception {
    JsonNode body = MAPPER.readTree("{\"id\": \"x\"}");

    assertThat(UsageParser.of(WireFormat.OPENAI, body)).isEqualTo(Usage.NONE);
    assertThat(UsageParser.of(WireFormat.ANTHROPIC, body)).isEqualTo(Usage.NONE);
    assertThat(UsageParser.openAi(null)).isEqualTo(Usage.NONE);
  }

  @Test
  void of_wholeOpenAiBody_readsItsUsage() throws Exception {
    JsonNode body = MAPPER.readTree("""
        {"usage": {"prompt_tokens": 20, "completion_tokens": 5, "total_tokens": 25}}""");

    Usage u = UsageParser.of(WireFormat.OPENAI, body);

    assertThat(u.details()).containsEntry(Usage.INPUT, 20L).containsEntry(Usage.OUTPUT, 5L)
        .containsEntry(Usage.TOTAL, 25L);
  }
}
