package dev.keel.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keel.core.tokens.TokenCounter;
import dev.keel.core.tokens.TokenEstimator;
import dev.keel.core.usage.Usage;
import java.io.IOException;

/**
 * Counts usage with a real tokenizer when the provider reported none (an OpenAI-compatible server
 * that ignores {@code stream_options}, a stream cut short). The result is marked estimated.
 */
final class UsageEstimates {

  private UsageEstimates() {}

  /**
   * @param inputJson the trace input: a messages array, or an object with {@code messages}
   * @param outputJson the answer message as JSON text, or null
   */
  static Usage estimate(String model, String inputJson, String outputJson) {
    long prompt = 0;
    if (inputJson != null) {
      try {
        JsonNode in = Gateway.JSON.readTree(inputJson);
        prompt = TokenEstimator.countMessages(model, in.isArray() ? in : in.path("messages"));
      } catch (IOException e) {
        prompt = TokenCounter.count(model, inputJson);
      }
    }
    long completion = 0;
    if (outputJson != null) {
      try {
        completion = TokenCounter.count(model, textOf(Gateway.JSON.readTree(outputJson)));
      } catch (IOException e) {
        completion = TokenCounter.count(model, outputJson);
      }
    }
    return Usage.fromTotals(prompt, 0, 0, 0, completion, 0, 0, true);
  }

  /** The text a model wrote: message content (string or blocks) and tool-call arguments. */
  private static String textOf(JsonNode message) {
    var sb = new StringBuilder();
    JsonNode content = message.path("content");
    if (content.isTextual()) {
      sb.append(content.asText());
    } else if (content.isArray()) {
      for (JsonNode block : content) {
        sb.append(block.path("text").asText(""));
        if (block.has("input")) {
          sb.append(block.get("input").toString());
        }
      }
    }
    for (JsonNode call : message.path("tool_calls")) {
      sb.append(call.path("function").path("name").asText(""))
          .append(call.path("function").path("arguments").asText(""));
    }
    return sb.toString();
  }
}
