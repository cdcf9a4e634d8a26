package dev.keel.providers;

import static dev.keel.providers.TestJson.obj;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

class AnthropicToOpenAiRequestTest {

  @Test
  void translate_plainWithSystemBlocks_systemMessageFirst() {
    ObjectNode req = obj("""
        {"model": "gpt-4o", "max_tokens": 100,
         "system": [{"type": "text", "text": "Be brief.", "cache_control": {"type": "ephemeral"}}],
         "messages": [{"role": "user", "content": "Hi"}], "temperature": 0.2,
         "stop_sequences": ["END"], "metadata": {"user_id": "u-1"}}""");

    ObjectNode out = Translation.anthropicToOpenAiRequest(req);

    assertThat(out).isEqualTo(obj("""
        {"model": "gpt-4o", "messages": [{"role": "system", "content": "Be brief."},
          {"role": "user", "content": "Hi"}],
         "max_tokens": 100, "temperature": 0.2, "stop": ["END"], "user": "u-1"}"""));
  }

  @Test
  void translate_toolUseAndToolResults_toolCallsAndToolMessagesFirst() {
    ObjectNode req = obj("""
        {"model": "m", "max_tokens": 10, "messages": [
          {"role": "user", "content": "Weather?"},
          {"role": "assistant", "content": [{"type": "text", "text": "Checking."},
            {"type": "tool_use", "id": "toolu_1", "name": "weather", "input": {"city": "Paris"}}]},
          {"role": "user", "content": [
            {"type": "tool_result", "tool_use_id": "toolu_1",
             "content": [{"type": "text", "text": "18C"}]},
            {"type": "text", "text": "And tomorrow?"}]}]}""");

    ObjectNode out = Translation.anthropicToOpenAiRequest(req);

    assertThat(out.get("messages")).isEqualTo(obj("""
        {"m": [{"role": "user", "content": "Weather?"},
          {"role": "assistant", "content": "Checking.", "tool_calls": [{"id": "toolu_1",
            "type": "function", "function": {"name": "weather",
            "arguments": "{\\"city\\":\\"Paris\\"}"}}]},
          {"role": "tool", "tool_call_id": "toolu_1", "content": "18C"},
          {"role": "user", "content": "And tomorrow?"}]}""").get("m"));
  }

  @Test
  void translate_toolsAndChoices_functionToolsAndMappedChoice() {
    ObjectNode req = obj("""
        {"model": "m", "max_tokens": 10, "messages": [{"role": "user", "content": "x"}],
         "tools": [{"name": "weather", "description": "d",
           "input_schema": {"type": "object", "properties": {}}}],
         "tool_choice": {"type": "any", "disable_parallel_tool_use": true}}""");

    ObjectNode out = Translation.anthropicToOpenAiRequest(req);

    assertThat(out.get("tools")).isEqualTo(obj("""
        {"t": [{"type": "function", "function": {"name": "weather", "description": "d",
          "parameters": {"type": "object", "properties": {}}}}]}""").get("t"));
    assertThat(out.get("tool_choice").asText()).isEqualTo("required");
    assertThat(out.get("parallel_tool_calls").asBoolean()).isFalse();
  }

  @Test
  void translate_specificToolChoice_functionChoice() {
    ObjectNode req = obj("""
        {"model": "m", "max_tokens": 10, "messages": [{"role": "user", "content": "x"}],
         "tools": [{"name": "f", "input_schema": {"type": "object"}}],
         "tool_choice": {"type": "tool", "name": "f"}}""");

    ObjectNode out = Translation.anthropicToOpenAiRequest(req);

    assertThat(out.get("tool_choice"))
        .isEqualTo(obj("{\"type\": \"function\", \"function\": {\"name\": \"f\"}}"));
  }

  @Test
  void translate_imageAndStream_dataUrlAndUsageRequested() {
    ObjectNode req = obj("""
        {"model": "m", "max_tokens": 10, "stream": true, "messages": [{"role": "user",
          "content": [{"type": "image", "source": {"type": "base64",
            "media_type": "image/jpeg", "data": "AAAA"}},
           {"type": "text", "text": "Describe"}]}]}""");

    ObjectNode out = Translation.anthropicToOpenAiRequest(req);

    assertThat(out.get("messages").get(0).get("content")).isEqualTo(obj("""
        {"c": [{"type": "image_url", "image_url": {"url": "data:image/jpeg;base64,AAAA"}},
          {"type": "text", "text": "Describe"}]}""").get("c"));
    assertThat(out.get("stream").asBoolean()).isTrue();
    assertThat(out.get("stream_options")).isEqualTo(obj("{\"include_usage\": true}"));
  }
}
