package dev.keel.providers;

import static dev.keel.providers.TestJson.obj;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

class OpenAiToAnthropicRequestTest {

  @Test
  void translate_plainWithSystemAndDeveloper_systemLiftedToTopLevel() {
    ObjectNode req = obj("""
        {"model": "claude-3-5-haiku-20241022", "messages": [
          {"role": "system", "content": "Be brief."},
          {"role": "developer", "content": [{"type": "text", "text": "Use English."}]},
          {"role": "user", "content": "Hi"}],
         "temperature": 0.7, "top_p": 0.9, "stop": "END", "user": "u-1",
         "n": 1, "presence_penalty": 0, "stream_options": {"include_usage": true}}""");

    ObjectNode out = Translation.openAiToAnthropicRequest(req);

    assertThat(out).isEqualTo(obj("""
        {"model": "claude-3-5-haiku-20241022", "system": "Be brief.\\n\\nUse English.",
         "messages": [{"role": "user", "content": [{"type": "text", "text": "Hi"}]}],
         "max_tokens": 4096, "temperature": 0.7, "top_p": 0.9, "stop_sequences": ["END"],
         "metadata": {"user_id": "u-1"}}"""));
  }

  @Test
  void translate_maxCompletionTokensAndStream_carriedOver() {
    ObjectNode req = obj("""
        {"model": "m", "max_completion_tokens": 77, "max_tokens": 5, "stream": true,
         "stop": ["a", "b"], "messages": [{"role": "user", "content": "x"}]}""");

    ObjectNode out = Translation.openAiToAnthropicRequest(req);

    assertThat(out.get("max_tokens").asInt()).isEqualTo(77);
    assertThat(out.get("stream").asBoolean()).isTrue();
    assertThat(out.get("stop_sequences")).isEqualTo(obj("{\"s\": [\"a\", \"b\"]}").get("s"));
  }

  @Test
  void translate_toolCallsAndResults_becomeToolUseAndMergedToolResults() {
    ObjectNode req = obj("""
        {"model": "m", "messages": [
          {"role": "user", "content": "Weather in Paris and Rome?"},
          {"role": "assistant", "content": null, "tool_calls": [
            {"id": "call_1", "type": "function",
             "function": {"name": "weather", "arguments": "{\\"city\\":\\"Paris\\"}"}},
            {"id": "call_2", "type": "function",
             "function": {"name": "weather", "arguments": "{\\"city\\":\\"Rome\\"}"}}]},
          {"role": "tool", "tool_call_id": "call_1", "content": "18C"},
          {"role": "tool", "tool_call_id": "call_2", "content": [{"type": "text", "text": "21C"}]},
          {"role": "user", "content": "Thanks"}]}""");

    ObjectNode out = Translation.openAiToAnthropicRequest(req);

    assertThat(out.get("messages")).isEqualTo(obj("""
        {"m": [
          {"role": "user", "content": [{"type": "text", "text": "Weather in Paris and Rome?"}]},
          {"role": "assistant", "content": [
            {"type": "tool_use", "id": "call_1", "name": "weather", "input": {"city": "Paris"}},
            {"type": "tool_use", "id": "call_2", "name": "weather", "input": {"city": "Rome"}}]},
          {"role": "user", "content": [
            {"type": "tool_result", "tool_use_id": "call_1", "content": "18C"},
            {"type": "tool_result", "tool_use_id": "call_2", "content": "21C"},
            {"type": "text", "text": "Thanks"}]}]}""").get("m"));
  }

  @Test
  void translate_toolsWithRequiredChoiceAndNoParallel_anyWithDisableParallel() {
    ObjectNode req = obj("""
        {"model": "m", "messages": [{"role": "user", "content": "x"}],
         "tools": [{"type": "function", "function": {"name": "weather",
           "description": "Gets weather", "parameters": {"type": "object",
           "properties": {"city": {"type": "string"}}, "required": ["city"]}}}],
         "tool_choice": "required", "parallel_tool_calls": false}""");

    ObjectNode out = Translation.openAiToAnthropicRequest(req);

    assertThat(out.get("tools")).isEqualTo(obj("""
        {"t": [{"name": "weather", "description": "Gets weather", "input_schema":
          {"type": "object", "properties": {"city": {"type": "string"}},
           "required": ["city"]}}]}""").get("t"));
    assertThat(out.get("tool_choice"))
        .isEqualTo(obj("{\"type\": \"any\", \"disable_parallel_tool_use\": true}"));
  }

  @Test
  void translate_namedFunctionChoice_toolChoiceOfTypeTool() {
    ObjectNode req = obj("""
        {"model": "m", "messages": [{"role": "user", "content": "x"}],
         "tools": [{"type": "function", "function": {"name": "f"}}],
         "tool_choice": {"type": "function", "function": {"name": "f"}}}""");

    ObjectNode out = Translation.openAiToAnthropicRequest(req);

    assertThat(out.get("tool_choice")).isEqualTo(obj("{\"type\": \"tool\", \"name\": \"f\"}"));
    assertThat(out.get("tools").get(0).get("input_schema"))
        .isEqualTo(obj("{\"type\": \"object\", \"properties\": {}}"));
  }

  @Test
  void translate_toolChoiceNone_toolsLeftOut() {
    ObjectNode req = obj("""
        {"model": "m", "messages": [{"role": "user", "content": "x"}],
         "tools": [{"type": "function", "function": {"name": "f"}}], "tool_choice": "none"}""");

    ObjectNode out = Translation.openAiToAnthropicRequest(req);

    assertThat(out.has("tools")).isFalse();
    assertThat(out.has("tool_choice")).isFalse();
  }

  @Test
  void translate_jsonSchemaResponseFormat_forcedToolNamedAfterSchema() {
    ObjectNode req = obj("""
        {"model": "m", "messages": [{"role": "user", "content": "x"}],
         "response_format": {"type": "json_schema", "json_schema": {"name": "person",
           "strict": true, "schema": {"type": "object",
           "properties": {"name": {"type": "string"}}}}}}""");

    ObjectNode out = Translation.openAiToAnthropicRequest(req);

    assertThat(out.get("tools")).isEqualTo(obj("""
        {"t": [{"name": "person", "input_schema": {"type": "object",
          "properties": {"name": {"type": "string"}}}}]}""").get("t"));
    assertThat(out.get("tool_choice")).isEqualTo(obj("{\"type\":\"tool\",\"name\":\"person\"}"));
    assertThat(out.has("response_format")).isFalse();
    assertThat(Translation.structuredOutputTool(req)).isEqualTo("person");
  }

  @Test
  void translate_imageParts_base64AndUrlSources() {
    ObjectNode req = obj("""
        {"model": "m", "messages": [{"role": "user", "content": [
          {"type": "text", "text": "What is this?"},
          {"type": "image_url", "image_url": {"url": "data:image/png;base64,iVBORw0"}},
          {"type": "image_url", "image_url": {"url": "https://example.com/a.jpg"}}]}]}""");

    ObjectNode out = Translation.openAiToAnthropicRequest(req);

    assertThat(out.get("messages").get(0).get("content")).isEqualTo(obj("""
        {"c": [{"type": "text", "text": "What is this?"},
          {"type": "image", "source": {"type": "base64", "media_type": "image/png",
           "data": "iVBORw0"}},
          {"type": "image", "source": {"type": "url",
           "url": "https://example.com/a.jpg"}}]}""").get("c"));
  }

  @Test
  void translate_multiTurn_rolesAlternateAndInputUntouched() {
    ObjectNode req = obj("""
        {"model": "m", "messages": [{"role": "user", "content": "a"},
          {"role": "assistant", "content": "b"}, {"role": "user", "content": "c"}]}""");
    ObjectNode before = req.deepCopy();

    ObjectNode out = Translation.openAiToAnthropicRequest(req);

    assertThat(out.get("messages")).hasSize(3);
    assertThat(out.get("messages").get(1)).isEqualTo(obj("""
        {"role": "assistant", "content": [{"type": "text", "text": "b"}]}"""));
    assertThat(req).isEqualTo(before);
  }
}
