package dev.keel.store;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.Objects;

/**
 * Totals of one UTC day, over traces by their timestamp, with usage split by model.
 *
 * @param totalCost sum of the known costs of the day's observations
 */
public record DailyMetrics(LocalDate date, long countTraces, long countObservations,
    BigDecimal totalCost, List<ModelUsage> usage) {

  public DailyMetrics {
    Objects.requireNonNull(date, "date");
    Objects.requireNonNull(totalCost, "totalCost");
    usage = List.copyOf(usage);
  }

  /** Usage and cost of one model on one day; input and output sum every input and output key. */
  public record ModelUsage(String model, long inputUsage, long outputUsage, long totalUsage,
      long countTraces, long countObservations, BigDecimal totalCost) {

    public ModelUsage {
      Objects.requireNonNull(model, "model");
      Objects.requireNonNull(totalCost, "totalCost");
    }
  }
}
