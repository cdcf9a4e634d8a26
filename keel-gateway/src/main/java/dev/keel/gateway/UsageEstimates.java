package dev.keel.gateway;

import dev.keel.core.tokens.TokenCounter;
import dev.keel.core.usage.Usage;

/**
 * Counts usage with a real tokenizer when the provider reported none (an OpenAI-compatible server
 * that ignores {@code stream_options}, a stream cut short). The result is marked estimated.
 */
final class UsageEstimates {

  private UsageEstimates() {}

  static Usage estimate(String model, String inputJson, String outputJson) {
    long prompt = inputJson == null ? 0 : TokenCounter.count(model, inputJson);
    long completion = outputJson == null ? 0 : TokenCounter.count(model, outputJson);
    return Usage.fromTotals(prompt, 0, 0, 0, completion, 0, 0, true);
  }
}
