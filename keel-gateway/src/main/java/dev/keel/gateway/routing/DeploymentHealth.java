package dev.keel.gateway.routing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What Keel has seen of each deployment in this process: consecutive failures and cooldown,
 * a moving average of latency, and requests in flight. Routing strategies read it; the attempt
 * loop writes it.
 *
 * <p>Concurrency: one small record of atomics per deployment, created on first use; updates are
 * single atomic operations, so readers may see a mix of two updates' values, which only blurs a
 * routing preference for a moment and never breaks a rule.
 */
public final class DeploymentHealth {

  private static final double EWMA_WEIGHT = 0.2;

  private final Map<String, Stats> stats = new ConcurrentHashMap<>();
  private final int failuresForCooldown;
  private final Duration cooldown;
  private final Clock clock;

  public DeploymentHealth(int failuresForCooldown, Duration cooldown, Clock clock) {
    this.failuresForCooldown = failuresForCooldown;
    this.cooldown = cooldown;
    this.clock = clock;
  }

  public void started(Deployment d) {
    of(d).inFlight.incrementAndGet();
  }

  public void succeeded(Deployment d, long nanos) {
    Stats s = of(d);
    s.inFlight.decrementAndGet();
    s.consecutiveFailures.set(0);
    s.latencyNanos.getAndUpdate(old -> old == 0 ? nanos
        : (long) (old * (1 - EWMA_WEIGHT) + nanos * EWMA_WEIGHT));
  }

  /** A failure the deployment is to blame for; enough in a row put it in cooldown. */
  public void failed(Deployment d) {
    Stats s = of(d);
    s.inFlight.decrementAndGet();
    if (s.consecutiveFailures.incrementAndGet() >= failuresForCooldown) {
      s.coolingUntilMillis.set(clock.millis() + cooldown.toMillis());
      s.consecutiveFailures.set(0);
    }
  }

  /** A failure of the request itself (a bad request, say): not the deployment's fault. */
  public void finishedWithoutBlame(Deployment d) {
    of(d).inFlight.decrementAndGet();
  }

  public boolean coolingDown(Deployment d) {
    Stats s = stats.get(d.label());
    return s != null && s.coolingUntilMillis.get() > clock.millis();
  }

  /** When the deployment's cooldown ends, or null when it is in rotation. */
  public Instant cooldownEnds(Deployment d) {
    return coolingDown(d) ? Instant.ofEpochMilli(stats.get(d.label()).coolingUntilMillis.get())
        : null;
  }

  /** Average latency in nanoseconds, 0 when never measured. */
  public long latencyNanos(Deployment d) {
    Stats s = stats.get(d.label());
    return s == null ? 0 : s.latencyNanos.get();
  }

  public int inFlight(Deployment d) {
    Stats s = stats.get(d.label());
    return s == null ? 0 : s.inFlight.get();
  }

  private Stats of(Deployment d) {
    return stats.computeIfAbsent(d.label(), k -> new Stats());
  }

  private static final class Stats {
    final AtomicInteger consecutiveFailures = new AtomicInteger();
    final AtomicLong coolingUntilMillis = new AtomicLong();
    final AtomicLong latencyNanos = new AtomicLong();
    final AtomicInteger inFlight = new AtomicInteger();
  }
}
