package dev.keel.providers;

import static dev.keel.providers.TestJson.obj;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

class ResponseTranslationTest {

  private static final String ANTHROPIC_TEXT = """
      {"id": "msg_01ABC", "type": "message", "role": "assistant",
       "model": "claude-3-5-haiku-20241022",
       "content": [{"type": "text", "text": "Hello there."}],
       "stop_reason": "end_turn", "stop_sequence": null,
       "usage": {"input_tokens": 10, "cache_read_input_tokens": 30,
                 "cache_creation_input_tokens": 5, "output_tokens": 4}}""";

  @Test
  void anthropicToOpenAi_text_chatCompletionWithMappedIdAndUsage() {
    ObjectNode out = Translation.anthropicToOpenAiResponse(obj(ANTHROPIC_TEXT));

    assertThat(out.get("id").asText()).isEqualTo("chatcmpl-01ABC");
    assertThat(out.get("object").asText()).isEqualTo("chat.completion");
    assertThat(out.get("model").asText()).isEqualTo("claude-3-5-haiku-20241022");
    assertThat(out.get("choices").get(0).get("message").get("content").asText())
        .isEqualTo("Hello there.");
    assertThat(out.get("choices").get(0).get("finish_reason").asText()).isEqualTo("stop");
    assertThat(out.get("usage").get("prompt_tokens").asLong()).isEqualTo(45);
    assertThat(out.get("usage").get("completion_tokens").asLong()).isEqualTo(4);
    assertThat(out.get("usage").get("total_tokens").asLong()).isEqualTo(49);
    assertThat(out.get("usage").get("prompt_tokens_details").get("cached_tokens").asLong())
        .isEqualTo(30);
  }

  @Test
  void anthropicToOpenAi_toolUse_toolCallsWithArgumentString() {
    ObjectNode resp = obj("""
        {"id": "msg_1", "model": "m", "content": [
          {"type": "tool_use", "id": "toolu_1", "name": "weather", "input": {"city": "Paris"}}],
         "stop_reason": "tool_use", "usage": {"input_tokens": 1, "output_tokens": 2}}""");

    ObjectNode out = Translation.anthropicToOpenAiResponse(resp);

    ObjectNode message = (ObjectNode) out.get("choices").get(0).get("message");
    assertThat(message.get("content").isNull()).isTrue();
    assertThat(message.get("tool_calls")).isEqualTo(obj("""
        {"t": [{"id": "toolu_1", "type": "function", "function": {"name": "weather",
          "arguments": "{\\"city\\":\\"Paris\\"}"}}]}""").get("t"));
    assertThat(out.get("choices").get(0).get("finish_reason").asText()).isEqualTo("tool_calls");
  }

  @Test
  void anthropicToOpenAi_structuredOutputTool_becomesJsonContent() {
    ObjectNode resp = obj("""
        {"id": "msg_1", "model": "m", "content": [
          {"type": "tool_use", "id": "toolu_1", "name": "person", "input": {"name": "Ada"}}],
         "stop_reason": "tool_use", "usage": {"input_tokens": 1, "output_tokens": 2}}""");

    ObjectNode out = Translation.anthropicToOpenAiResponse(resp, "person");

    ObjectNode message = (ObjectNode) out.get("choices").get(0).get("message");
    assertThat(message.get("content").asText()).isEqualTo("{\"name\":\"Ada\"}");
    assertThat(message.has("tool_calls")).isFalse();
    assertThat(out.get("choices").get(0).get("finish_reason").asText()).isEqualTo("stop");
  }

  @Test
  void anthropicToOpenAi_stopReasons_mappedToFinishReasons() {
    assertThat(finishFor("max_tokens")).isEqualTo("length");
    assertThat(finishFor("stop_sequence")).isEqualTo("stop");
    assertThat(finishFor("end_turn")).isEqualTo("stop");
    assertThat(finishFor("refusal")).isEqualTo("content_filter");
  }

  @Test
  void openAiToAnthropic_textAndToolCalls_messageWithBlocksAndUsage() {
    ObjectNode resp = obj("""
        {"id": "chatcmpl-XYZ", "object": "chat.completion", "created": 1, "model": "gpt-4o",
         "choices": [{"index": 0, "message": {"role": "assistant", "content": "Let me check.",
           "tool_calls": [{"id": "call_1", "type": "function", "function": {"name": "weather",
             "arguments": "{\\"city\\":\\"Rome\\"}"}}]}, "finish_reason": "tool_calls"}],
         "usage": {"prompt_tokens": 100, "completion_tokens": 20, "total_tokens": 120,
           "prompt_tokens_details": {"cached_tokens": 60},
           "completion_tokens_details": {"reasoning_tokens": 8}}}""");

    ObjectNode out = Translation.openAiToAnthropicResponse(resp);

    assertThat(out).isEqualTo(obj("""
        {"id": "msg_XYZ", "type": "message", "role": "assistant", "model": "gpt-4o",
         "content": [{"type": "text", "text": "Let me check."},
           {"type": "tool_use", "id": "call_1", "name": "weather", "input": {"city": "Rome"}}],
         "stop_reason": "tool_use", "stop_sequence": null,
         "usage": {"input_tokens": 40, "cache_creation_input_tokens": 0,
           "cache_read_input_tokens": 60, "output_tokens": 20}}"""));
  }

  @Test
  void openAiToAnthropic_finishReasons_mappedToStopReasons() {
    assertThat(stopFor("stop")).isEqualTo("end_turn");
    assertThat(stopFor("length")).isEqualTo("max_tokens");
    assertThat(stopFor("content_filter")).isEqualTo("refusal");
  }

  @Test
  void roundTrip_openAiThroughAnthropic_keepsIdTextAndUsage() {
    ObjectNode resp = obj("""
        {"id": "chatcmpl-abc", "model": "gpt-4o", "choices": [{"index": 0,
          "message": {"role": "assistant", "content": "Hi"}, "finish_reason": "stop"}],
         "usage": {"prompt_tokens": 9, "completion_tokens": 3, "total_tokens": 12}}""");

    ObjectNode back = Translation.anthropicToOpenAiResponse(
        Translation.openAiToAnthropicResponse(resp));

    assertThat(back.get("id").asText()).isEqualTo("chatcmpl-abc");
    assertThat(back.get("choices").get(0).get("message").get("content").asText()).isEqualTo("Hi");
    assertThat(back.get("usage").get("prompt_tokens").asLong()).isEqualTo(9);
    assertThat(back.get("usage").get("completion_tokens").asLong()).isEqualTo(3);
  }

  private static String finishFor(String stopReason) {
    ObjectNode resp = obj("{\"id\": \"msg_1\", \"model\": \"m\", \"content\": [],"
        + " \"stop_reason\": \"" + stopReason + "\"}");
    return Translation.anthropicToOpenAiResponse(resp).get("choices").get(0)
        .get("finish_reason").asText();
  }

  private static String stopFor(String finishReason) {
    ObjectNode resp = obj("{\"id\": \"c\", \"model\": \"m\", \"choices\": [{\"index\": 0,"
        + " \"message\": {\"role\": \"assistant\", \"content\": \"x\"},"
        + " \"finish_reason\": \"" + finishReason + "\"}]}");
    return Translation.openAiToAnthropicResponse(resp).get("stop_reason").asText();
  }
}
