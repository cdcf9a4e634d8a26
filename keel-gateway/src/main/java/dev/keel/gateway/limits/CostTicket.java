package dev.keel.gateway.limits;

import dev.keel.core.cost.Cost;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/** What one admitted request holds: its budget reservations and its rate-limit slots. */
final class CostTicket implements Admission.Ticket {

  private final CostControl owner;
  private final List<Budget> budgets;
  private final List<Counters.BudgetSlot> slots;
  private final long estimate;
  private final List<Counters.RateSlot> rateSlots;
  private final Map<String, String> headers;
  private final AtomicBoolean settled = new AtomicBoolean();

  CostTicket(CostControl owner, List<Budget> budgets, List<Counters.BudgetSlot> slots,
      long estimate, List<Counters.RateSlot> rateSlots, Map<String, String> headers) {
    this.owner = owner;
    this.budgets = budgets;
    this.slots = slots;
    this.estimate = estimate;
    this.rateSlots = rateSlots;
    this.headers = headers;
  }

  @Override
  public void settle(Cost actual) {
    settle(actual, 0);
  }

  @Override
  public void settle(Cost actual, long billedTokens) {
    // The gateway settles once; a second call must not release the reservation twice.
    if (settled.compareAndSet(false, true)) {
      owner.settle(this, actual, billedTokens);
    }
  }

  @Override
  public Map<String, String> headers() {
    return headers;
  }

  List<Budget> budgets() {
    return budgets;
  }

  List<Counters.BudgetSlot> slots() {
    return slots;
  }

  long estimate() {
    return estimate;
  }

  List<Counters.RateSlot> rateSlots() {
    return rateSlots;
  }
}
