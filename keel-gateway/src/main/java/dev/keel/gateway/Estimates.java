package dev.keel.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keel.core.cost.Cost;
import dev.keel.core.cost.Pricer;
import dev.keel.core.tokens.TokenEstimator;
import dev.keel.core.usage.Usage;
import dev.keel.providers.WireFormat;

/**
 * What a request will cost at most, before it is sent: its prompt counted with the tokenizer and
 * its output at the request's {@code max_tokens} (or {@link #DEFAULT_OUTPUT_TOKENS} when it sets
 * none). Budgets reserve this while the call is in flight, so concurrent requests cannot spend
 * past a limit by more than what is in flight.
 */
final class Estimates {

  /** Output assumed when a request sets no limit: a long answer, not the model's maximum. */
  static final long DEFAULT_OUTPUT_TOKENS = 1024;

  private Estimates() {}

  static Cost cost(Pricer pricer, WireFormat format, ObjectNode body, String model) {
    long prompt = promptTokens(format, body, model);
    long output = maxOutput(body);
    Usage usage = Usage.fromTotals(prompt, 0, 0, 0, output, 0, 0, true);
    return pricer.cost(model, usage).orElse(null);
  }

  /** The request's prompt counted with the tokenizer, in its client's wire format. */
  static long promptTokens(WireFormat format, ObjectNode body, String model) {
    return format == WireFormat.ANTHROPIC
        ? TokenEstimator.countAnthropic(model, body.get("system"), body.get("messages"))
        : TokenEstimator.countMessages(model, body.get("messages"));
  }

  private static long maxOutput(ObjectNode body) {
    for (String field : new String[] {"max_completion_tokens", "max_tokens"}) {
      JsonNode n = body.get(field);
      if (n != null && n.canConvertToLong() && n.asLong() > 0) {
        return n.asLong();
      }
    }
    return DEFAULT_OUTPUT_TOKENS;
  }
}
