package dev.keel.store;

import java.time.Instant;
import java.util.Objects;

/**
 * Spend to add to one budget's period.
 *
 * @param pico pico-dollars (1e-12 USD) to add
 */
public record SpendDelta(String budgetId, Instant periodStart, long pico) {

  public SpendDelta {
    Objects.requireNonNull(budgetId, "budgetId");
    Objects.requireNonNull(periodStart, "periodStart");
    if (pico < 0) {
      throw new IllegalArgumentException("pico must not be negative: " + pico);
    }
  }
}
