package dev.keel.gateway.limits;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Counters in this process: limits hold per instance only.
 *
 * <p>Concurrency: one lock guards every check-and-add, which is a few map reads and writes, so
 * it is held for well under a microsecond. The store read that seeds a budget's spend the first
 * time a period is seen happens before the lock is taken. Counters of past periods stay in
 * memory (one small entry per budget and period) until restart.
 */
final class LocalCounters implements Counters {

  private final Seed seed;
  private final ReentrantLock lock = new ReentrantLock();
  private final Set<String> seeded = ConcurrentHashMap.newKeySet();
  private final Map<String, long[]> budgets = new HashMap<>();
  private final Map<String, long[]> rates = new HashMap<>();
  private long rateWindow = Long.MIN_VALUE;

  LocalCounters(Seed seed) {
    this.seed = seed;
  }

  @Override
  public Verdict reserve(List<BudgetSlot> slots, long estimatePico) {
    Map<String, Long> seeds = seedsFor(slots);
    lock.lock();
    try {
      putSeeds(seeds);
      for (int i = 0; i < slots.size(); i++) {
        long[] c = budgets.get(slots.get(i).key());
        if (c[0] + c[1] >= slots.get(i).limitPico()) {
          return new Verdict(i, c[0], c[1]);
        }
      }
      for (BudgetSlot s : slots) {
        budgets.get(s.key())[1] += estimatePico;
      }
      return Verdict.ADMITTED;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void settle(List<BudgetSlot> slots, long estimatePico, long actualPico) {
    lock.lock();
    try {
      for (BudgetSlot s : slots) {
        long[] c = budgets.get(s.key());
        if (c != null) {
          c[1] -= estimatePico;
          c[0] += actualPico;
        }
      }
    } finally {
      lock.unlock();
    }
  }

  @Override
  public long[] read(BudgetSlot slot) {
    Map<String, Long> seeds = seedsFor(List.of(slot));
    lock.lock();
    try {
      putSeeds(seeds);
      return budgets.get(slot.key()).clone();
    } finally {
      lock.unlock();
    }
  }

  @Override
  public RateVerdict take(List<RateSlot> slots, long window) {
    lock.lock();
    try {
      roll(window);
      long[] requests = new long[slots.size()];
      long[] tokens = new long[slots.size()];
      for (int i = 0; i < slots.size(); i++) {
        long[] c = rates.getOrDefault(slots.get(i).name(), new long[2]);
        requests[i] = c[0];
        tokens[i] = c[1];
        RateSlot s = slots.get(i);
        if (s.rpm() > 0 && c[0] >= s.rpm() || s.tpm() > 0 && c[1] >= s.tpm()) {
          return new RateVerdict(i, !(s.rpm() > 0 && c[0] >= s.rpm()), requests, tokens);
        }
      }
      for (int i = 0; i < slots.size(); i++) {
        requests[i] = ++rates.computeIfAbsent(slots.get(i).name(), k -> new long[2])[0];
      }
      return new RateVerdict(-1, false, requests, tokens);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void addTokens(List<RateSlot> slots, long window, long tokens) {
    lock.lock();
    try {
      if (window != rateWindow) {
        // Tokens of a call that began in an earlier minute count in the minute it ended.
        roll(window);
      }
      for (RateSlot s : slots) {
        rates.computeIfAbsent(s.name(), k -> new long[2])[1] += tokens;
      }
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void close() {}

  private void roll(long window) {
    if (window > rateWindow) {
      rates.clear();
      rateWindow = window;
    }
  }

  /** Reads the store for slots not seen yet; two threads may both read, the first one wins. */
  private Map<String, Long> seedsFor(List<BudgetSlot> slots) {
    Map<String, Long> out = new HashMap<>();
    for (BudgetSlot s : slots) {
      if (!seeded.contains(s.key()) && !out.containsKey(s.key())) {
        out.put(s.key(), seed.spent(s.budgetId(), s.periodStart()));
      }
    }
    return out;
  }

  // Called with the lock held; a key is marked seeded only once its counter exists.
  private void putSeeds(Map<String, Long> seeds) {
    seeds.forEach((k, v) -> {
      budgets.putIfAbsent(k, new long[] {v, 0});
      seeded.add(k);
    });
  }
}
