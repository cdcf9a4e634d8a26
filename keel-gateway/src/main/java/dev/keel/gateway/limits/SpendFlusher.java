package dev.keel.gateway.limits;

import dev.keel.store.BudgetStore;
import dev.keel.store.SpendDelta;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes settled spend to the store off the request path, summed per budget and period, every
 * flush interval and at close. A failed write keeps the amounts for the next try.
 */
final class SpendFlusher implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(SpendFlusher.class);

  private final BudgetStore store;
  private final Clock clock;
  private final Map<Key, AtomicLong> pending = new ConcurrentHashMap<>();
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
      r -> Thread.ofPlatform().daemon().name("keel-spend-flush").unstarted(r));

  SpendFlusher(BudgetStore store, Clock clock, Duration every) {
    this.store = store;
    this.clock = clock;
    timer.scheduleWithFixedDelay(this::flushQuietly, every.toMillis(), every.toMillis(),
        TimeUnit.MILLISECONDS);
  }

  void add(List<Counters.BudgetSlot> slots, long pico) {
    if (pico <= 0) {
      return;
    }
    for (Counters.BudgetSlot s : slots) {
      pending.computeIfAbsent(new Key(s.budgetId(), s.periodStart()), k -> new AtomicLong())
          .addAndGet(pico);
    }
  }

  /** Writes what is pending now. */
  synchronized void flush() {
    List<SpendDelta> deltas = new ArrayList<>();
    for (var e : pending.entrySet()) {
      long v = e.getValue().getAndSet(0);
      // Entries are never removed: a remove could race an add and lose it. There is one
      // per budget and period, so they stay few.
      if (v > 0) {
        deltas.add(new SpendDelta(e.getKey().budgetId(), e.getKey().periodStart(), v));
      }
    }
    try {
      store.addSpend(deltas, clock.instant());
    } catch (RuntimeException e) {
      deltas.forEach(d -> pending.computeIfAbsent(new Key(d.budgetId(), d.periodStart()),
          k -> new AtomicLong()).addAndGet(d.pico()));
      throw e;
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
    flush();
  }

  private void flushQuietly() {
    try {
      flush();
    } catch (RuntimeException e) {
      log.warn("could not write budget spend to the store ({}); keeping it to retry", e
          .getMessage());
    }
  }

  private record Key(String budgetId, Instant periodStart) {}
}
