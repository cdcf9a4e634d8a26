package dev.keel.store;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Budgets and their settled spend, the system of record that survives restarts and is shared
 * by every Keel instance on the same database. Live counters (reservations, Redis) sit in front
 * of it and flush settled spend here.
 */
public interface BudgetStore {

  /**
   * Creates the budget, or replaces limit, period, anchor and soft limits of the one with the
   * same project, scope, subject and model (keeping its id and spend). Returns what is stored.
   */
  BudgetRecord save(BudgetRecord b);

  Optional<BudgetRecord> find(String id);

  /** The budgets of a project, ordered by scope, subject and model. */
  List<BudgetRecord> list(String projectId);

  /** Deletes a budget and its spend; false when it did not exist. */
  boolean delete(String id);

  /** Adds every delta in one transaction (rows are created as needed). */
  void addSpend(Collection<SpendDelta> deltas, Instant now);

  /** Settled spend of a budget in the period starting at {@code periodStart} (0 when none). */
  long spent(String budgetId, Instant periodStart);

  /** The newest periods of a budget, newest first. */
  List<BudgetSpend> history(String budgetId, int limit);

  /**
   * Marks soft limit {@code index} alerted for the period ({@link BudgetRecord#MAX_SOFT_LIMITS}
   * stands for the hard limit reached). Returns true only for the caller that
   * marked it first, so an alert goes out once per period across every instance.
   */
  boolean markAlerted(String budgetId, Instant periodStart, int index, Instant now);
}
