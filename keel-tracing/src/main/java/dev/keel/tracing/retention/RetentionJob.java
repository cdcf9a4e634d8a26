package dev.keel.tracing.retention;

import dev.keel.store.TraceStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes traces older than the retention period, with their observations and scores: once
 * at start, then at a fixed interval, on one daemon thread. A failed run is logged and the next
 * one tries again; runs never overlap.
 */
public final class RetentionJob implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(RetentionJob.class);

  private final TraceStore store;
  private final Duration keep;
  private final Clock clock;
  private ScheduledExecutorService scheduler;

  /** @param keep how long traces are kept; must be positive */
  public RetentionJob(TraceStore store, Duration keep, Clock clock) {
    if (keep.isNegative() || keep.isZero()) {
      throw new IllegalArgumentException("keep must be positive: " + keep);
    }
    this.store = store;
    this.keep = keep;
    this.clock = clock;
  }

  /** Deletes what is older than the retention period now; returns the traces removed. */
  public long runOnce() {
    Instant cutoff = clock.instant().minus(keep);
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
    LOG.info("Retention: traces older than {} days are deleted every {}", keep.toDays(),
        interval);
  }

  @Override
  public synchronized void close() {
    if (scheduler != null) {
      scheduler.shutdownNow();
      scheduler = null;
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
