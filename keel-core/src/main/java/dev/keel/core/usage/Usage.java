package dev.keel.core.usage;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Token usage of one model call under Keel's usage keys (Langfuse's names, see CONTRACTS.md).
 *
 * <p>Every {@code input*} key is part of the provider's prompt tokens and nothing is counted
 * twice: {@code input} is the full-rate remainder once cached reads and cache writes are taken
 * out. {@code output} excludes reasoning and audio tokens. {@code total} is the provider's total.
 *
 * @param details counts by usage key; only keys the provider reported (or Keel estimated)
 * @param estimated true when the counts came from Keel's tokenizer, not from the provider
 */
public record Usage(Map<String, Long> details, boolean estimated) {

  public static final String INPUT = "input";
  public static final String INPUT_CACHED = "input_cached_tokens";
  public static final String INPUT_CACHE_CREATION = "input_cache_creation";
  public static final String INPUT_AUDIO = "input_audio_tokens";
  public static final String OUTPUT = "output";
  public static final String OUTPUT_REASONING = "output_reasoning_tokens";
  public static final String OUTPUT_AUDIO = "output_audio_tokens";
  public static final String TOTAL = "total";

  public static final Usage NONE = new Usage(Map.of(), false);

  public Usage {
    Objects.requireNonNull(details, "details");
    for (var e : details.entrySet()) {
      if (e.getValue() == null || e.getValue() < 0) {
        throw new IllegalArgumentException(
            "usage count must be non-negative: " + e.getKey() + "=" + e.getValue());
      }
    }
    details = Collections.unmodifiableMap(new LinkedHashMap<>(details));
  }

  /** The count under {@code key}, or 0 when absent. */
  public long get(String key) {
    Long v = details.get(key);
    return v == null ? 0 : v;
  }

  public boolean isEmpty() {
    return details.isEmpty();
  }

  /** All prompt-side tokens: full-rate input plus cached reads, cache writes and audio. */
  public long promptTokens() {
    return get(INPUT) + get(INPUT_CACHED) + get(INPUT_CACHE_CREATION) + get(INPUT_AUDIO);
  }

  /** All completion-side tokens: output plus reasoning and audio. */
  public long completionTokens() {
    return get(OUTPUT) + get(OUTPUT_REASONING) + get(OUTPUT_AUDIO);
  }

  /**
   * Builds usage from provider-style totals, splitting out the detail counts so that nothing is
   * counted twice. Zero detail counts are left out.
   */
  public static Usage fromTotals(long promptTokens, long cachedRead, long cacheWrite,
      long inputAudio, long completionTokens, long reasoning, long outputAudio,
      boolean estimated) {
    var m = new LinkedHashMap<String, Long>();
    m.put(INPUT, Math.max(0, promptTokens - cachedRead - cacheWrite - inputAudio));
    putIfPositive(m, INPUT_CACHED, cachedRead);
    putIfPositive(m, INPUT_CACHE_CREATION, cacheWrite);
    putIfPositive(m, INPUT_AUDIO, inputAudio);
    m.put(OUTPUT, Math.max(0, completionTokens - reasoning - outputAudio));
    putIfPositive(m, OUTPUT_REASONING, reasoning);
    putIfPositive(m, OUTPUT_AUDIO, outputAudio);
    m.put(TOTAL, promptTokens + completionTokens);
    return new Usage(m, estimated);
  }

  private static void putIfPositive(Map<String, Long> m, String key, long value) {
    if (value > 0) {
      m.put(key, value);
    }
  }
}
