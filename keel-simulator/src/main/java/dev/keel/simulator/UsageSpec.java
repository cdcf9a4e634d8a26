package dev.keel.simulator;

/**
 * Token counts a {@code usage} directive pins; a null field is counted with the tokenizer.
 * {@code prompt} includes cached and cache-write tokens; {@code completion} includes reasoning.
 * {@code omitted} ({@code usage=none}) makes the OpenAI wire report no usage at all, as some
 * OpenAI-compatible servers do; Anthropic always reports usage.
 */
record UsageSpec(Integer prompt, Integer cached, Integer cacheWrite, Integer completion,
    Integer reasoning, boolean omitted) {

  static final UsageSpec NONE = new UsageSpec(null, null, null, null, null, false);
  static final UsageSpec OMITTED = new UsageSpec(null, null, null, null, null, true);

  boolean isEmpty() {
    return prompt == null && cached == null && cacheWrite == null && completion == null
        && reasoning == null;
  }

  /** Final counts, filling unpinned prompt and completion from the given lazy counts. */
  TokenUsage resolve(java.util.function.IntSupplier promptCount,
      java.util.function.IntSupplier completionCount) {
    int c = cached == null ? 0 : cached;
    int w = cacheWrite == null ? 0 : cacheWrite;
    int r = reasoning == null ? 0 : reasoning;
    int p = prompt != null ? prompt : promptCount.getAsInt() + c + w;
    int o = completion != null ? completion : completionCount.getAsInt() + r;
    return new TokenUsage(p, c, w, o, r);
  }
}
