package dev.keel.tracing.retention;

import dev.keel.store.TraceStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes traces older than the retention period, with their observations and scores: once
 * at start, then at a fixed interval, on one daemon thread. A failed run is logged and the next
 * one tries again; runs never overlap. The period is read at every run, so a change made at run
 * time (Settings in the web UI) applies from the next run; no period means keep everything.
 */
public final class RetentionJob implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(RetentionJob.class);

  private final TraceStore store;
  private final Supplier<Optional<Duration>> keep;
  private final Clock clock;
  private ScheduledExecutorService scheduler;

  /** @param keep how long traces are kept; must be positive */
  public RetentionJob(TraceStore store, Duration keep, Clock clock) {
    this(store, () -> Optional.of(keep), clock);
    checkPositive(keep);
  }

  /**
   * @param keep how long traces are kept, read at every run; empty keeps them all. A period
   *     that is not positive fails that run (logged), not the job.
   */
  public RetentionJob(TraceStore store, Supplier<Optional<Duration>> keep, Clock clock) {
    this.store = store;
    this.keep = keep;
    this.clock = clock;
  }

  /** Deletes what is older than the retention period now; returns the traces removed. */
  public long runOnce() {
    Optional<Duration> period = keep.get();
    if (period.isEmpty()) {
      return 0;
    }
    checkPositive(period.get());
    Instant cutoff = clock.instant().minus(period.get());
    long removed = store.deleteOlderThan(cutoff);
    if (removed > 0) {
      LOG.info("Retention: deleted {} traces older than {}", removed, cutoff);
    }
    return removed;
  }

  /** Runs now and then every {@code interval}, until {@link #close()}. */
  public synchronized void start(Duration interval) {
    if (scheduler != null) {
      return;
    }
    scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "keel-retention");
      t.setDaemon(true);
      return t;
    });
    scheduler.scheduleWithFixedDelay(this::runQuietly, 0, interval.toMillis(),
        TimeUnit.MILLISECONDS);
    LOG.info("Retention: checking every {} for traces older than the retention period",
        interval);
  }

  @Override
  public synchronized void close() {
    if (scheduler != null) {
      scheduler.shutdownNow();
      scheduler = null;
    }
  }

  private static void checkPositive(Duration keep) {
    if (keep.isNegative() || keep.isZero()) {
      throw new IllegalArgumentException("keep must be positive: " + keep);
    }
  }

  private void runQuietly() {
    try {
      runOnce();
    } catch (RuntimeException e) {
      LOG.warn("Retention run failed ({}); the next run tries again", e.getMessage());
    }
  }
}
