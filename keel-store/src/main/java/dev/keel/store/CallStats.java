package dev.keel.store;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * Generations of one model and prompt version over a time range, from the hourly rollups.
 *
 * @param model the model called, or null when the generation named none
 * @param promptName the prompt, or null for generations without one
 * @param promptVersion the prompt's version, or null when none was recorded
 * @param latency latencies of the generations that ended; the caller's own copy
 */
public record CallStats(String model, String promptName, Integer promptVersion,
    long generations, long errors, BigDecimal costUsd, LatencyHistogram latency) {

  public CallStats {
    Objects.requireNonNull(costUsd, "costUsd");
    Objects.requireNonNull(latency, "latency");
  }
}
