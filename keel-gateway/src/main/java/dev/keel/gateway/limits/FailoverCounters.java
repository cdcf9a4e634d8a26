package dev.keel.gateway.limits;

import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisException;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counters in Redis that keep requests answered while Redis is unreachable: when a call to Redis
 * fails for want of a connection (or Redis cannot be reached at start), counting moves to
 * {@link LocalCounters} in this process, seeded with settled spend from the store, with one
 * WARN line and {@link #failovers()} counting the outage. Limits then hold per instance, as
 * without Redis. A probe asks Redis every {@code probeMillis}; when it answers, counting goes
 * back to Redis and the budget counters touched during the outage are dropped there, so the
 * next request re-seeds them from the store, which holds what every instance spent meanwhile.
 *
 * <p>Across the switch, a request reserved in one place may settle in the other: its estimate
 * then stays reserved in the local counters (which are left behind) or is released from a Redis
 * counter that never held it (the release stops at zero). Either way the error is bounded by
 * what was in flight at the switch, and spend in the store stays exact. Redis errors that are
 * not about reaching it (a script error, say) are not an outage and propagate.
 *
 * <p>Concurrency: {@code redis} is swapped only by the probe thread; {@code down} is volatile,
 * so a request sees either backend whole. Several requests may fail over at once; one logs.
 */
final class FailoverCounters implements Counters {

  private static final Logger log = LoggerFactory.getLogger(FailoverCounters.class);

  private final Supplier<RedisCounters> connect;
  private final Counters local;
  private final Set<BudgetSlot> touched = ConcurrentHashMap.newKeySet();
  private final AtomicLong failovers = new AtomicLong();
  private final ScheduledExecutorService probe = Executors.newSingleThreadScheduledExecutor(
      r -> Thread.ofPlatform().daemon().name("keel-redis-probe").unstarted(r));
  private volatile RedisCounters redis;
  private volatile boolean down;

  FailoverCounters(Supplier<RedisCounters> connect, Seed seed, long probeMillis) {
    this.connect = connect;
    this.local = new LocalCounters(seed);
    try {
      this.redis = connect.get();
    } catch (RedisException e) {
      failover(e);
    }
    probe.scheduleWithFixedDelay(this::probeQuietly, probeMillis, probeMillis,
        TimeUnit.MILLISECONDS);
  }

  /** Outages since start: times counting moved from Redis to this process. */
  long failovers() {
    return failovers.get();
  }

  /** Whether counting is in Redis now (else in this process). */
  boolean redisUp() {
    return !down;
  }

  @Override
  public Verdict reserve(List<BudgetSlot> slots, long estimatePico) {
    RedisCounters r = redis;
    if (!down && r != null) {
      try {
        return r.reserve(slots, estimatePico);
      } catch (RedisException e) {
        failover(e);
      }
    }
    touched.addAll(slots);
    return local.reserve(slots, estimatePico);
  }

  @Override
  public void settle(List<BudgetSlot> slots, long estimatePico, long actualPico) {
    RedisCounters r = redis;
    if (!down && r != null) {
      try {
        r.settle(slots, estimatePico, actualPico);
        return;
      } catch (RedisException e) {
        failover(e);
      }
    }
    touched.addAll(slots);
    local.settle(slots, estimatePico, actualPico);
  }

  @Override
  public long[] read(BudgetSlot slot) {
    RedisCounters r = redis;
    if (!down && r != null) {
      try {
        return r.read(slot);
      } catch (RedisException e) {
        failover(e);
      }
    }
    touched.add(slot);
    return local.read(slot);
  }

  @Override
  public RateVerdict take(List<RateSlot> slots, long window) {
    RedisCounters r = redis;
    if (!down && r != null) {
      try {
        return r.take(slots, window);
      } catch (RedisException e) {
        failover(e);
      }
    }
    return local.take(slots, window);
  }

  @Override
  public void addTokens(List<RateSlot> slots, long window, long tokens) {
    RedisCounters r = redis;
    if (!down && r != null) {
      try {
        r.addTokens(slots, window, tokens);
        return;
      } catch (RedisException e) {
        failover(e);
      }
    }
    local.addTokens(slots, window, tokens);
  }

  @Override
  public void close() {
    probe.shutdownNow();
    RedisCounters r = redis;
    if (r != null) {
      r.close();
    }
  }

  private void failover(RedisException e) {
    if (e instanceof RedisCommandExecutionException) {
      throw e; // Redis answered: an error of the command, not of reaching Redis
    }
    synchronized (this) {
      if (down) {
        return;
      }
      down = true;
    }
    failovers.incrementAndGet();
    log.warn("Redis is unreachable ({}); budgets and rate limits now hold per instance, with "
        + "settled spend read from the store, until it answers again", e.getMessage());
  }

  private void probeQuietly() {
    if (!down) {
      return;
    }
    try {
      RedisCounters r = redis;
      if (r == null) {
        r = connect.get();
        redis = r;
      }
      r.ping();
      // Counters this instance moved on while Redis was away are stale there: drop them so
      // the next request seeds them from the store.
      r.drop(List.copyOf(touched));
      touched.clear();
      down = false;
      log.info("Redis answers again; budgets and rate limits are shared by the cluster again");
    } catch (RedisException e) {
      log.debug("Redis still unreachable: {}", e.getMessage());
      // Connect afresh next time: the client's own reconnect backs off up to 30 s.
      RedisCounters r = redis;
      redis = null;
      if (r != null) {
        r.close();
      }
    } catch (RuntimeException e) {
      log.warn("Redis probe failed unexpectedly: {}", e.toString());
    }
  }
}
