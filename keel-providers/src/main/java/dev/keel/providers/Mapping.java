package dev.keel.providers;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keel.core.usage.Usage;

/** Field mappings shared by the request, response and stream translators. */
final class Mapping {

  static final String CHAT_PREFIX = "chatcmpl-";
  static final String MESSAGE_PREFIX = "msg_";

  private Mapping() {
  }

  /** {@code msg_abc} becomes {@code chatcmpl-abc}, so one call keeps one id in both formats. */
  static String toOpenAiId(String anthropicId) {
    if (anthropicId == null) {
      return CHAT_PREFIX + java.util.UUID.randomUUID().toString().replace("-", "");
    }
    String core = anthropicId.startsWith(MESSAGE_PREFIX)
        ? anthropicId.substring(MESSAGE_PREFIX.length()) : anthropicId;
    return CHAT_PREFIX + core;
  }

  static String toAnthropicId(String openAiId) {
    if (openAiId == null) {
      return MESSAGE_PREFIX + java.util.UUID.randomUUID().toString().replace("-", "");
    }
    String core = openAiId.startsWith(CHAT_PREFIX)
        ? openAiId.substring(CHAT_PREFIX.length()) : openAiId;
    return MESSAGE_PREFIX + core;
  }

  static String toFinishReason(String stopReason) {
    if (stopReason == null) {
      return null;
    }
    return switch (stopReason) {
      case "max_tokens", "model_context_window_exceeded" -> "length";
      case "tool_use" -> "tool_calls";
      case "refusal" -> "content_filter";
      default -> "stop"; // end_turn, stop_sequence, pause_turn
    };
  }

  static String toStopReason(String finishReason) {
    if (finishReason == null) {
      return null;
    }
    return switch (finishReason) {
      case "length" -> "max_tokens";
      case "tool_calls", "function_call" -> "tool_use";
      case "content_filter" -> "refusal";
      default -> "end_turn";
    };
  }

  /** Keel usage rendered as an OpenAI {@code usage} object. */
  static ObjectNode openAiUsage(Usage u) {
    ObjectNode o = Json.object();
    put(o, "prompt_tokens", u.promptTokens());
    put(o, "completion_tokens", u.completionTokens());
    put(o, "total_tokens", u.promptTokens() + u.completionTokens());
    ObjectNode in = o.putObject("prompt_tokens_details");
    put(in, "cached_tokens", u.get(Usage.INPUT_CACHED));
    put(in, "audio_tokens", u.get(Usage.INPUT_AUDIO));
    ObjectNode out = o.putObject("completion_tokens_details");
    put(out, "reasoning_tokens", u.get(Usage.OUTPUT_REASONING));
    put(out, "audio_tokens", u.get(Usage.OUTPUT_AUDIO));
    return o;
  }

  /**
   * Keel usage rendered as an Anthropic {@code usage} object. Anthropic has no reasoning or
   * audio split, so every completion token is an output token.
   */
  static ObjectNode anthropicUsage(Usage u) {
    ObjectNode o = Json.object();
    put(o, "input_tokens", u.get(Usage.INPUT) + u.get(Usage.INPUT_AUDIO));
    put(o, "cache_creation_input_tokens", u.get(Usage.INPUT_CACHE_CREATION));
    put(o, "cache_read_input_tokens", u.get(Usage.INPUT_CACHED));
    put(o, "output_tokens", u.completionTokens());
    return o;
  }

  /** Counts as int where they fit, so trees compare equal to parsed JSON. */
  private static void put(ObjectNode o, String key, long n) {
    if (n <= Integer.MAX_VALUE) {
      o.put(key, (int) n);
    } else {
      o.put(key, n);
    }
  }
}
