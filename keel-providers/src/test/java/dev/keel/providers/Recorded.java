package dev.keel.providers;

import java.util.List;

/** Event sequences in the shapes the two providers really stream. */
final class Recorded {

  /** Anthropic: text then one tool call, with a ping, cache usage and a tool_use stop. */
  static final List<SseEvent> ANTHROPIC_TEXT_AND_TOOL = List.of(
      a("message_start", """
          {"type":"message_start","message":{"id":"msg_01XYZ","type":"message",\
          "role":"assistant","content":[],"model":"claude-3-5-haiku-20241022",\
          "stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":25,\
          "cache_read_input_tokens":100,"cache_creation_input_tokens":0,"output_tokens":1}}}"""),
      a("content_block_start", """
          {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}"""),
      a("ping", "{\"type\": \"ping\"}"),
      a("content_block_delta", """
          {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hello"}}"""),
      a("content_block_delta", """
          {"type":"content_block_delta","index":0,"delta":{"type":"text_delta",\
          "text":" world"}}"""),
      a("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}"),
      a("content_block_start", """
          {"type":"content_block_start","index":1,"content_block":{"type":"tool_use",\
          "id":"toolu_01","name":"weather","input":{}}}"""),
      a("content_block_delta", """
          {"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta",\
          "partial_json":""}}"""),
      a("content_block_delta", """
          {"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta",\
          "partial_json":"{\\"city\\": \\"Par"}}"""),
      a("content_block_delta", """
          {"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta",\
          "partial_json":"is\\"}"}}"""),
      a("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":1}"),
      a("message_delta", """
          {"type":"message_delta","delta":{"stop_reason":"tool_use","stop_sequence":null},\
          "usage":{"output_tokens":15}}"""),
      a("message_stop", "{\"type\":\"message_stop\"}"));

  /** OpenAI: role chunk, text, one tool call in fragments, finish, usage chunk, [DONE]. */
  static final List<SseEvent> OPENAI_TEXT_AND_TOOL = List.of(
      o("""
          {"id":"chatcmpl-AB1","object":"chat.completion.chunk","created":1700000000,\
          "model":"gpt-4o","choices":[{"index":0,"delta":{"role":"assistant","content":""},\
          "logprobs":null,"finish_reason":null}],"usage":null}"""),
      o("""
          {"id":"chatcmpl-AB1","object":"chat.completion.chunk","created":1700000000,\
          "model":"gpt-4o","choices":[{"index":0,"delta":{"content":"Hi"},\
          "finish_reason":null}],"usage":null}"""),
      o("""
          {"id":"chatcmpl-AB1","object":"chat.completion.chunk","created":1700000000,\
          "model":"gpt-4o","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,\
          "id":"call_1","type":"function","function":{"name":"weather","arguments":""}}]},\
          "finish_reason":null}],"usage":null}"""),
      o("""
          {"id":"chatcmpl-AB1","object":"chat.completion.chunk","created":1700000000,\
          "model":"gpt-4o","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,\
          "function":{"arguments":"{\\"city\\":"}}]},"finish_reason":null}],"usage":null}"""),
      o("""
          {"id":"chatcmpl-AB1","object":"chat.completion.chunk","created":1700000000,\
          "model":"gpt-4o","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,\
          "function":{"arguments":"\\"Rome\\"}"}}]},"finish_reason":null}],"usage":null}"""),
      o("""
          {"id":"chatcmpl-AB1","object":"chat.completion.chunk","created":1700000000,\
          "model":"gpt-4o","choices":[{"index":0,"delta":{},"finish_reason":"tool_calls"}],\
          "usage":null}"""),
      o("""
          {"id":"chatcmpl-AB1","object":"chat.completion.chunk","created":1700000000,\
          "model":"gpt-4o","choices":[],"usage":{"prompt_tokens":50,"completion_tokens":12,\
          "total_tokens":62,"prompt_tokens_details":{"cached_tokens":20},\
          "completion_tokens_details":{"reasoning_tokens":2}}}"""),
      o("[DONE]"));

  private Recorded() {
  }

  private static SseEvent a(String name, String data) {
    return new SseEvent(name, data.strip());
  }

  private static SseEvent o(String data) {
    return SseEvent.data(data.strip());
  }
}
