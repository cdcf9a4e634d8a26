package dev.keel.gateway.limits;

import dev.keel.core.cost.Cost;
import dev.keel.store.BudgetRecord;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneId;

/** A stored budget with its period parsed once. */
record Budget(BudgetRecord record, Period period) {

  static Budget of(BudgetRecord r) {
    return new Budget(r, Period.parse(r.period()));
  }

  String id() {
    return record.id();
  }

  Counters.BudgetSlot slot(Instant now, ZoneId zone) {
    return new Counters.BudgetSlot(record.id(), period.start(now, zone, record.anchor()),
        period.end(now, zone, record.anchor()), record.limitPico());
  }

  /** How people name it: {@code team 'ml' daily budget for model gpt-4o}. */
  String describe() {
    String model = record.model().isEmpty() ? "" : " for model " + record.model();
    String period = switch (this.period.text()) {
      case "daily", "weekly", "monthly" -> this.period.text() + " ";
      case "total" -> "total ";
      default -> this.period.text() + " ";
    };
    return record.scope() + " '" + record.subject() + "' " + period + "budget" + model;
  }

  static BigDecimal usd(long pico) {
    return Cost.fromPicoDollars(pico);
  }

  static String money(long pico) {
    return "$" + usd(pico).toPlainString();
  }
}
