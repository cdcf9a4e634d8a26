package dev.keel.store;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * Gateway generations of one cost-aware route's tier served by one model.
 *
 * @param route the route name ({@code routing_route})
 * @param tier {@code easy} or {@code hard} ({@code routing_tier})
 * @param model the model that was called
 * @param calls generations, failed attempts included
 * @param errors failed attempts (level ERROR)
 * @param costUsd what the priced generations cost
 * @param unknownCost answered generations without a known price
 * @param savingUsd the route's strong model's price for the same usage less what was paid
 *     ({@code routing_saving_usd}; zero for the strong model's own answers)
 */
public record RoutedCalls(String route, String tier, String model, long calls, long errors,
    BigDecimal costUsd, long unknownCost, BigDecimal savingUsd) {

  public RoutedCalls {
    Objects.requireNonNull(route, "route");
    Objects.requireNonNull(costUsd, "costUsd");
    Objects.requireNonNull(savingUsd, "savingUsd");
  }
}
