package dev.keel.providers;

/** The two request/response dialects Keel speaks, on both the client and the upstream side. */
public enum WireFormat {
  /** OpenAI's Chat Completions API, also spoken by most OpenAI-compatible servers. */
  OPENAI,
  /** Anthropic's Messages API. */
  ANTHROPIC
}
