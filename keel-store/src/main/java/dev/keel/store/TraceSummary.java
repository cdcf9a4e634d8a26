package dev.keel.store;

import dev.keel.core.trace.Trace;
import java.math.BigDecimal;
import java.util.Objects;

/**
 * A trace with the rollups the store keeps over its observations.
 *
 * @param totalCost sum of the known costs of its observations (zero when none)
 * @param costIncomplete true when a GENERATION or EMBEDDING of the trace has no known cost
 * @param latencySeconds latest observation end minus earliest start, or null without ends
 * @param observationCount number of observations stored for the trace
 */
public record TraceSummary(Trace trace, BigDecimal totalCost, boolean costIncomplete,
    Double latencySeconds, int observationCount) {

  public TraceSummary {
    Objects.requireNonNull(trace, "trace");
    Objects.requireNonNull(totalCost, "totalCost");
    if (observationCount < 0) {
      throw new IllegalArgumentException(
          "observationCount must be non-negative: " + observationCount);
    }
  }
}
