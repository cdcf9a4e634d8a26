package dev.keel.providers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Translates requests, responses and streams between OpenAI's Chat Completions and Anthropic's
 * Messages formats. Inputs are not modified; each method returns a new tree.
 *
 * <p>OpenAI's {@code response_format: json_schema} has no Messages API twin, so it travels to
 * Anthropic as a forced tool named after the schema. On the way back that tool call must become
 * message content again, which needs the tool's name: pass
 * {@link #structuredOutputTool(JsonNode)} of the original request to the overloads that take
 * it. The one-argument forms treat every tool call as a real tool call.
 */
public final class Translation {

  /**
   * The request field, {@code drop_params}, by which a client asks Keel to leave out what the
   * other format cannot honour instead of refusing the request. Keel consumes it: it never
   * reaches a provider.
   */
  public static final String DROP_PARAMS = OpenAiToAnthropicRequest.DROP_PARAMS;

  private Translation() {
  }

  /**
   * An OpenAI chat completion request as an Anthropic Messages request. A field the Messages
   * API cannot honour is a {@link dev.keel.core.error.KeelException} (400, INVALID_REQUEST)
   * naming it, its value and why, unless the request says {@code "drop_params": true}; then such
   * fields are left out.
   */
  public static ObjectNode openAiToAnthropicRequest(ObjectNode openAiRequest) {
    return OpenAiToAnthropicRequest.translate(openAiRequest);
  }

  /** As {@link #openAiToAnthropicRequest(ObjectNode)}, dropping or refusing as told. */
  public static ObjectNode openAiToAnthropicRequest(ObjectNode openAiRequest,
      boolean dropUnsupported) {
    return OpenAiToAnthropicRequest.translate(openAiRequest, dropUnsupported);
  }

  /**
   * An Anthropic Messages request as an OpenAI chat completion request, refusing (or with
   * {@code "drop_params": true} leaving out) fields chat completions cannot honour, as
   * {@link #openAiToAnthropicRequest(ObjectNode)} does.
   */
  public static ObjectNode anthropicToOpenAiRequest(ObjectNode anthropicRequest) {
    return AnthropicToOpenAiRequest.translate(anthropicRequest);
  }

  /** As {@link #anthropicToOpenAiRequest(ObjectNode)}, dropping or refusing as told. */
  public static ObjectNode anthropicToOpenAiRequest(ObjectNode anthropicRequest,
      boolean dropUnsupported) {
    return AnthropicToOpenAiRequest.translate(anthropicRequest, dropUnsupported);
  }

  /**
   * The name of the forced tool that carries {@code openAiRequest}'s json_schema (or
   * json_object) response_format to Anthropic, or null when it asks for neither.
   */
  public static String structuredOutputTool(JsonNode openAiRequest) {
    return OpenAiToAnthropicRequest.structuredOutputTool(openAiRequest);
  }

  /** An Anthropic message as an OpenAI chat.completion. */
  public static ObjectNode anthropicToOpenAiResponse(ObjectNode anthropicResponse) {
    return ResponseTranslation.anthropicToOpenAi(anthropicResponse, null);
  }

  /**
   * An Anthropic message as an OpenAI chat.completion, with a call of
   * {@code structuredOutputTool} (nullable) turned back into JSON message content.
   */
  public static ObjectNode anthropicToOpenAiResponse(ObjectNode anthropicResponse,
      String structuredOutputTool) {
    return ResponseTranslation.anthropicToOpenAi(anthropicResponse, structuredOutputTool);
  }

  /** An OpenAI chat.completion as an Anthropic message. */
  public static ObjectNode openAiToAnthropicResponse(ObjectNode openAiResponse) {
    return ResponseTranslation.openAiToAnthropic(openAiResponse);
  }

  /**
   * Anthropic stream events to OpenAI chunks, ending with a usage chunk (empty choices) and
   * {@code [DONE]}.
   */
  public static StreamTranslator anthropicToOpenAiStream() {
    return new AnthropicToOpenAiStream(null);
  }

  /** As {@link #anthropicToOpenAiStream()}, streaming {@code structuredOutputTool} as content. */
  public static StreamTranslator anthropicToOpenAiStream(String structuredOutputTool) {
    return new AnthropicToOpenAiStream(structuredOutputTool);
  }

  /** OpenAI chunks to Anthropic events, message_start through message_stop. */
  public static StreamTranslator openAiToAnthropicStream() {
    return new OpenAiToAnthropicStream();
  }
}
