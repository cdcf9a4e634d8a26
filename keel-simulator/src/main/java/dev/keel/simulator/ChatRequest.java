package dev.keel.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Objects;

/**
 * A chat request from either wire, reduced to what the simulator acts on.
 *
 * @param model requested model id
 * @param apiKey the caller's key (Bearer token or x-api-key)
 * @param stream answer as server-sent events
 * @param includeUsage OpenAI {@code stream_options.include_usage}
 * @param directives directives of the system message, then of the last user message
 * @param promptText every message's text with directives removed, for token counting
 * @param lastUserText the last user message's text with directives removed
 * @param tools tools the request declares
 * @param toolChoice how the request constrains tool use
 * @param responseFormat requested output format (OpenAI only; text otherwise)
 * @param toolTurns assistant turns in the history that called tools
 * @param logprobs OpenAI {@code logprobs}
 * @param topLogprobs OpenAI {@code top_logprobs}
 */
record ChatRequest(String model, String apiKey, boolean stream, boolean includeUsage,
    List<Directive> directives, String promptText, String lastUserText, List<ToolDef> tools,
    ToolChoice toolChoice, ResponseFormat responseFormat, int toolTurns, boolean logprobs,
    int topLogprobs) {

  ChatRequest {
    Objects.requireNonNull(model, "model");
    directives = List.copyOf(directives);
    tools = List.copyOf(tools);
    if (topLogprobs < 0 || topLogprobs > 20) {
      throw new InvalidDirectiveException("top_logprobs must be between 0 and 20: "
          + topLogprobs);
    }
  }

  ToolDef tool(String name) {
    for (ToolDef t : tools) {
      if (t.name().equals(name)) {
        return t;
      }
    }
    return null;
  }

  /** A tool the request declares, with the JSON Schema of its arguments (may be null). */
  record ToolDef(String name, JsonNode schema) {}

  /** Tool constraint: auto, none, any (OpenAI "required"), or one named tool. */
  record ToolChoice(Mode mode, String name) {
    static final ToolChoice AUTO = new ToolChoice(Mode.AUTO, null);

    enum Mode { AUTO, NONE, ANY, NAMED }
  }

  /** Output format: text, json_object, or json_schema with its schema. */
  record ResponseFormat(String type, JsonNode schema) {
    static final ResponseFormat TEXT = new ResponseFormat("text", null);
  }
}
