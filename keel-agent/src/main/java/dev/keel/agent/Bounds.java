package dev.keel.agent;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Objects;

/**
 * Limits every run keeps. A run that reaches one stops with a {@link AgentResult.Status} naming
 * it and returns what it has so far.
 *
 * @param maxSteps model calls per run (each answer with tool calls is one step)
 * @param maxCostUsd spend per run in USD as the gateway prices it ({@code usage.cost}), or null
 *     for none; checked before every model call and after every step, so a run overshoots by at
 *     most the one call that crossed it
 * @param deadline wall-clock time per run, model calls and tools included
 * @param maxRepeats the same tool with the same arguments this many times stops the run (a loop
 *     the model will not leave); 0 turns the detector off
 * @param toolTimeout how long one tool may run before its result is a timeout error
 * @param modelTimeout how long one model call may take (never longer than what is left of the
 *     deadline)
 */
public record Bounds(int maxSteps, BigDecimal maxCostUsd, Duration deadline, int maxRepeats,
    Duration toolTimeout, Duration modelTimeout) {

  /** 10 steps, no cost limit, 2 minutes, 3 repeats, 30 s per tool, 60 s per model call. */
  public static final Bounds DEFAULT = new Bounds(10, null, Duration.ofMinutes(2), 3,
      Duration.ofSeconds(30), Duration.ofSeconds(60));

  public Bounds {
    if (maxSteps < 1) {
      throw new IllegalArgumentException("maxSteps must be positive: " + maxSteps);
    }
    if (maxCostUsd != null && maxCostUsd.signum() < 0) {
      throw new IllegalArgumentException("maxCostUsd must not be negative: " + maxCostUsd);
    }
    positive(deadline, "deadline");
    positive(toolTimeout, "toolTimeout");
    positive(modelTimeout, "modelTimeout");
    if (maxRepeats < 0 || maxRepeats == 1) {
      throw new IllegalArgumentException("maxRepeats must be 0 (off) or at least 2: "
          + maxRepeats);
    }
  }

  public Bounds withMaxSteps(int n) {
    return new Bounds(n, maxCostUsd, deadline, maxRepeats, toolTimeout, modelTimeout);
  }

  public Bounds withMaxCostUsd(BigDecimal usd) {
    return new Bounds(maxSteps, usd, deadline, maxRepeats, toolTimeout, modelTimeout);
  }

  public Bounds withDeadline(Duration d) {
    return new Bounds(maxSteps, maxCostUsd, d, maxRepeats, toolTimeout, modelTimeout);
  }

  public Bounds withMaxRepeats(int n) {
    return new Bounds(maxSteps, maxCostUsd, deadline, n, toolTimeout, modelTimeout);
  }

  public Bounds withToolTimeout(Duration d) {
    return new Bounds(maxSteps, maxCostUsd, deadline, maxRepeats, d, modelTimeout);
  }

  public Bounds withModelTimeout(Duration d) {
    return new Bounds(maxSteps, maxCostUsd, deadline, maxRepeats, toolTimeout, d);
  }

  private static void positive(Duration d, String name) {
    Objects.requireNonNull(d, name);
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + " must be positive: " + d);
    }
  }
}
