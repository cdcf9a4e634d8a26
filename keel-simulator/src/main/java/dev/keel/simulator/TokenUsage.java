package dev.keel.simulator;

/**
 * Usage as the simulator reports it, before each wire renders it its own way.
 *
 * @param prompt all input tokens, cached and cache-write included
 * @param cached input tokens read from the prompt cache
 * @param cacheWrite input tokens written to the prompt cache (Anthropic only on the wire)
 * @param completion all output tokens, reasoning included
 * @param reasoning output tokens spent on reasoning (OpenAI only on the wire)
 */
record TokenUsage(int prompt, int cached, int cacheWrite, int completion, int reasoning) {

  TokenUsage {
    if (prompt < 0 || cached < 0 || cacheWrite < 0 || completion < 0 || reasoning < 0) {
      throw new InvalidDirectiveException("usage counts must be non-negative: prompt=" + prompt
          + " cached=" + cached + " cache_write=" + cacheWrite + " completion=" + completion
          + " reasoning=" + reasoning);
    }
    if (cached + cacheWrite > prompt) {
      throw new InvalidDirectiveException(
          "usage cached + cache_write must not exceed prompt: " + cached + " + " + cacheWrite
              + " > " + prompt);
    }
    if (reasoning > completion) {
      throw new InvalidDirectiveException(
          "usage reasoning must not exceed completion: " + reasoning + " > " + completion);
    }
  }

  /** Anthropic's {@code input_tokens}: the full-rate part of the prompt. */
  int uncachedInput() {
    return prompt - cached - cacheWrite;
  }
}
