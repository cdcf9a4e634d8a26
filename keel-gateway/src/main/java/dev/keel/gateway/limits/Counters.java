package dev.keel.gateway.limits;

import java.time.Instant;
import java.util.List;

/**
 * The live counters behind budgets and rate limits: in process ({@link LocalCounters}, per
 * instance) or in Redis ({@link RedisCounters}, shared by every instance). Each check-and-add is
 * atomic over all the slots it names, so two requests cannot both take the last of a budget.
 */
interface Counters extends AutoCloseable {

  /**
   * Reserves {@code estimatePico} on every slot if each has {@code spent + reserved < limit};
   * otherwise reserves nothing and says which slot is full.
   */
  Verdict reserve(List<BudgetSlot> slots, long estimatePico);

  /** Releases a reservation and adds what was really spent. */
  void settle(List<BudgetSlot> slots, long estimatePico, long actualPico);

  /** Spent and reserved of one slot, as {@code {spent, reserved}}. */
  long[] read(BudgetSlot slot);

  /**
   * Counts one request on every rate slot of the current minute if none is at its request or
   * token limit; otherwise counts nothing and says which slot is full.
   */
  RateVerdict take(List<RateSlot> slots, long window);

  /** Adds tokens used to the slots' counts of the given minute. */
  void addTokens(List<RateSlot> slots, long window, long tokens);

  @Override
  void close();

  /** Where settled spend comes from when a slot is first seen: the store. */
  @FunctionalInterface
  interface Seed {
    long spent(String budgetId, Instant periodStart);
  }

  /**
   * One budget in one period.
   *
   * @param periodEnd when the period ends (the counter may be dropped a day later)
   */
  record BudgetSlot(String budgetId, Instant periodStart, Instant periodEnd, long limitPico) {

    String key() {
      return budgetId + "|" + periodStart.toEpochMilli();
    }
  }

  /**
   * A reservation's outcome.
   *
   * @param full index of the first full slot, or -1 when reserved
   */
  record Verdict(int full, long spent, long reserved) {
    static final Verdict ADMITTED = new Verdict(-1, 0, 0);
  }

  /**
   * One rate limit.
   *
   * @param name what is limited, such as {@code key:abc} or {@code deployment:openai/gpt-4o}
   * @param rpm requests per minute, 0 for none
   * @param tpm tokens per minute, 0 for none
   */
  record RateSlot(String name, long rpm, long tpm) {}

  /**
   * A rate check's outcome.
   *
   * @param full index of the first full slot, or -1 when the request was counted
   * @param tokensFull whether that slot is full on tokens (else on requests)
   * @param requests each slot's requests this minute, this one included
   * @param tokens each slot's tokens this minute
   */
  record RateVerdict(int full, boolean tokensFull, long[] requests, long[] tokens) {}
}
