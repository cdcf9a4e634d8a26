package dev.keel.providers;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keel.core.usage.Usage;

/** Reads provider usage objects into Keel's usage keys (the CONTRACTS.md table). */
public final class UsageParser {

  private UsageParser() {
  }

  /**
   * An OpenAI {@code usage} object. Cached and audio prompt tokens are split out of
   * {@code prompt_tokens}, reasoning and audio completion tokens out of {@code completion_tokens},
   * so nothing is counted twice. {@link Usage#NONE} when the object is absent.
   */
  public static Usage openAi(JsonNode usage) {
    if (!isObject(usage)) {
      return Usage.NONE;
    }
    JsonNode in = usage.path("prompt_tokens_details");
    JsonNode out = usage.path("completion_tokens_details");
    return Usage.fromTotals(
        Json.count(usage, "prompt_tokens"), Json.count(in, "cached_tokens"), 0,
        Json.count(in, "audio_tokens"), Json.count(usage, "completion_tokens"),
        Json.count(out, "reasoning_tokens"), Json.count(out, "audio_tokens"), false);
  }

  /**
   * An Anthropic {@code usage} object, where {@code input_tokens} already excludes cache reads
   * and writes. {@link Usage#NONE} when the object is absent.
   */
  public static Usage anthropic(JsonNode usage) {
    if (!isObject(usage)) {
      return Usage.NONE;
    }
    long read = Json.count(usage, "cache_read_input_tokens");
    long write = Json.count(usage, "cache_creation_input_tokens");
    long prompt = Json.count(usage, "input_tokens") + read + write;
    return Usage.fromTotals(prompt, read, write, 0, Json.count(usage, "output_tokens"), 0, 0,
        false);
  }

  /** The usage of a whole response body in format {@code f}; NONE when it carries none. */
  public static Usage of(WireFormat f, JsonNode responseBody) {
    JsonNode usage = responseBody == null ? null : responseBody.get("usage");
    return f == WireFormat.OPENAI ? openAi(usage) : anthropic(usage);
  }

  private static boolean isObject(JsonNode n) {
    return n != null && n.isObject();
  }
}
