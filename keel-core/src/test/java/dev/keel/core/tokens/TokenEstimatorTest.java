package dev.keel.core.tokens;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class TokenEstimatorTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void countMessages_singleHello_matchesOpenAiReportedPromptTokens() throws Exception {
    JsonNode messages = JSON.readTree("[{\"role\": \"user\", \"content\": \"Hello\"}]");

    long tokens = TokenEstimator.countMessages("gpt-4o-mini", messages);

    // OpenAI reports 8 prompt tokens for this request: 3 framing + "user" + "Hello" + 3 priming.
    assertThat(tokens).isEqualTo(8);
  }

  @Test
  void countMessages_contentParts_countsTextPartsOnly() throws Exception {
    JsonNode parts = JSON.readTree("""
        [{"role": "user", "content": [
          {"type": "text", "text": "Describe the weather in Paris"},
          {"type": "image_url", "image_url": {"url": "https://example.invalid/a.png"}}]}]
        """);
    JsonNode plain = JSON.readTree(
        "[{\"role\": \"user\", \"content\": \"Describe the weather in Paris\"}]");

    long fromParts = TokenEstimator.countMessages("gpt-4o", parts);

    assertThat(fromParts).isEqualTo(TokenEstimator.countMessages("gpt-4o", plain));
  }

  @Test
  void countMessages_toolCallsAndName_addNamesArgumentsAndNameToken() throws Exception {
    JsonNode messages = JSON.readTree("""
        [{"role": "assistant", "content": null, "tool_calls": [{"id": "call_1",
          "type": "function",
          "function": {"name": "get_weather", "arguments": "{\\"city\\":\\"Paris\\"}"}}]},
         {"role": "tool", "tool_call_id": "call_1", "content": "sunny", "name": "get_weather"}]
        """);
    String model = "gpt-4o";
    long expected = 3
        + 2 * TokenEstimator.PER_MESSAGE
        + TokenCounter.count(model, "assistant")
        + TokenCounter.count(model, "get_weather")
        + TokenCounter.count(model, "{\"city\":\"Paris\"}")
        + TokenCounter.count(model, "tool")
        + TokenCounter.count(model, "call_1")
        + TokenCounter.count(model, "sunny")
        + TokenEstimator.PER_NAME
        + TokenCounter.count(model, "get_weather");

    long tokens = TokenEstimator.countMessages(model, messages);

    assertThat(tokens).isEqualTo(expected);
  }

  @Test
  void countMessages_notAnArray_isZero() throws Exception {
    assertThat(TokenEstimator.countMessages("gpt-4o", null)).isZero();
    assertThat(TokenEstimator.countMessages("gpt-4o", JSON.readTree("{}"))).isZero();
  }

  @Test
  void countAnthropic_systemStringAndBlocks_countSameText() throws Exception {
    JsonNode messages = JSON.readTree("[{\"role\": \"user\", \"content\": \"Hi there\"}]");
    JsonNode systemString = JSON.readTree("\"You are terse.\"");
    JsonNode systemBlocks = JSON.readTree("[{\"type\": \"text\", \"text\": \"You are terse.\"}]");

    long fromString = TokenEstimator.countAnthropic("claude-haiku-4-5", systemString, messages);
    long fromBlocks = TokenEstimator.countAnthropic("claude-haiku-4-5", systemBlocks, messages);

    assertThat(fromString).isEqualTo(fromBlocks);
    assertThat(fromString).isEqualTo(3 + 3 + TokenCounter.count("claude", "You are terse.")
        + 3 + TokenCounter.count("claude", "user") + TokenCounter.count("claude", "Hi there"));
  }

  @Test
  void countAnthropic_toolUseAndResult_countNameInputAndResultText() throws Exception {
    JsonNode messages = JSON.readTree("""
        [{"role": "assistant", "content": [
           {"type": "tool_use", "id": "t1", "name": "lookup", "input": {"q": "keel"}}]},
         {"role": "user", "content": [
           {"type": "tool_result", "tool_use_id": "t1", "content": "a boat part"}]}]
        """);
    String model = "claude-haiku-4-5";
    long expected = 3 + 2 * TokenEstimator.PER_MESSAGE
        + TokenCounter.count(model, "assistant") + TokenCounter.count(model, "lookup")
        + TokenCounter.count(model, "{\"q\":\"keel\"}")
        + TokenCounter.count(model, "user") + TokenCounter.count(model, "a boat part");

    long tokens = TokenEstimator.countAnthropic(model, null, messages);

    assertThat(tokens).isEqualTo(expected);
  }

  @Test
  void countAnthropic_longerPrompt_countsMore() throws Exception {
    JsonNode shortBody = JSON.readTree("[{\"role\": \"user\", \"content\": \"Hi\"}]");
    JsonNode longBody = JSON.readTree(
        "[{\"role\": \"user\", \"content\": \"Hi, please summarise the attached report.\"}]");

    long shortCount = TokenEstimator.countAnthropic("claude-haiku-4-5", null, shortBody);
    long longCount = TokenEstimator.countAnthropic("claude-haiku-4-5", null, longBody);

    assertThat(longCount).isGreaterThan(shortCount);
  }
}
