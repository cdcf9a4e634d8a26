package dev.keel.store;

/**
 * How the gateway's generations (not ingested ones) fared over a window, across every project.
 *
 * @param calls generations that started in the window and have ended
 * @param errors those at level ERROR
 * @param p95LatencyMs the 95th percentile of their durations; 0 when there were none
 */
public record CallHealth(long calls, long errors, long p95LatencyMs) {

  public CallHealth {
    if (calls < 0 || errors < 0 || errors > calls) {
      throw new IllegalArgumentException("errors must be between 0 and calls " + calls + ": "
          + errors);
    }
  }

  /** Errors over calls; 0 when there were no calls. */
  public double errorRate() {
    return calls == 0 ? 0 : (double) errors / calls;
  }
}
