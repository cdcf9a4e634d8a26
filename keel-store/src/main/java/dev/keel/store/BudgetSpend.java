package dev.keel.store;

import java.time.Instant;

/**
 * What was spent against a budget in one period.
 *
 * @param spentPico settled spend in pico-dollars (1e-12 USD)
 * @param alertedMask bit i set when soft limit i was alerted in this period
 */
public record BudgetSpend(String budgetId, Instant periodStart, long spentPico,
    int alertedMask) {}
