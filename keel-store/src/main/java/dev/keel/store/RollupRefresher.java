package dev.keel.store;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the hourly rollups fresh in the background, so that a page normally finds no dirty
 * hour to recompute: one scheduled task that, every interval, recomputes at most a fixed
 * number of dirty hours (newest first, {@link RollupRefresh#refreshNewest}). Readers still
 * refresh whatever is dirty in their range, so the numbers stay exact between ticks. Several
 * Keel instances on one PostgreSQL store may all run it: each hour is recomputed under its
 * advisory lock, and an hour locked by another instance is left to it.
 */
final class RollupRefresher implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(RollupRefresher.class);
  /** Hours per tick: a tick after a bulk load of a week holds no writer for long. */
  static final int HOURS_PER_TICK = 24;
  private static final int REVISIT_TICKS = 15;
  private static final Duration MAX_REVISIT = Duration.ofSeconds(15);
  private static final long COST_FACTOR = 20;

  private final RollupRefresh refresh;
  private final int hoursPerTick;
  private final ScheduledExecutorService timer;
  private volatile boolean failing;
  /**
   * When each (project, hour) recomputed here may be recomputed again, in nanoTime: an hour
   * still being written is dirty again a moment after each recompute, and recomputing it every
   * tick would re-read all of its rows every second. Such an hour waits {@code revisitNanos},
   * or 20 times what its last recompute took when that is longer, so that a busy hour's
   * recomputes take at most about a twentieth of a core however many rows it holds; pages read
   * it exact meanwhile by recomputing it themselves.
   */
  private final java.util.Map<String, Long> nextDue = new java.util.HashMap<>();
  private volatile long revisitNanos;

  RollupRefresher(Db db, int hoursPerTick) {
    if (hoursPerTick < 1) {
      throw new IllegalArgumentException("hoursPerTick must be at least 1: " + hoursPerTick);
    }
    this.refresh = new RollupRefresh(db, new CostRollup(db.dialect()));
    this.hoursPerTick = hoursPerTick;
    this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "keel-rollup-refresher");
      t.setDaemon(true);
      return t;
    });
  }

  /** Ticks every {@code every}, the first after one interval, until {@link #close}. */
  RollupRefresher every(Duration every) {
    if (every.isNegative() || every.isZero()) {
      throw new IllegalArgumentException("rollup refresh interval must be positive: " + every);
    }
    // An hour recomputed is left alone for 15 ticks, at most 15 s, once it is dirty again.
    revisitNanos = Math.min(every.toNanos() * REVISIT_TICKS, MAX_REVISIT.toNanos());
    timer.scheduleWithFixedDelay(this::safeTick, every.toMillis(), every.toMillis(),
        TimeUnit.MILLISECONDS);
    return this;
  }

  /** Sets how long an hour recomputed here is left alone once it is dirty again. */
  RollupRefresher revisitAfter(Duration wait) {
    revisitNanos = wait.toNanos();
    return this;
  }

  /** Recomputes up to the tick's budget of dirty hours; returns how many it recomputed. */
  int tick() {
    long now = System.nanoTime();
    nextDue.values().removeIf(at -> now - at >= 0);
    return refresh.refreshNewest(hoursPerTick, new RollupRefresh.Schedule() {
      @Override
      public boolean due(String projectId, long hour) {
        return !nextDue.containsKey(projectId + "\u0000" + hour);
      }

      @Override
      public void took(String projectId, long hour, long nanos) {
        nextDue.put(projectId + "\u0000" + hour, System.nanoTime()
            + Math.max(revisitNanos, COST_FACTOR * nanos));
      }
    });
  }

  private void safeTick() {
    try {
      tick();
      if (failing) {
        failing = false;
        LOG.info("rollup refresh works again");
      }
    } catch (RuntimeException e) {
      // Logged once per run of failures; readers still refresh what they read.
      if (!failing) {
        failing = true;
        LOG.warn("rollup refresh failed ({}); pages recompute dirty hours themselves until it"
            + " works again", e.toString());
      }
    }
  }

  /** Stops ticking, waiting for a tick under way, so the store can close after it. */
  @Override
  public void close() {
    timer.shutdown();
    try {
      if (!timer.awaitTermination(30, TimeUnit.SECONDS)) {
        timer.shutdownNow();
      }
    } catch (InterruptedException e) {
      timer.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }
}
