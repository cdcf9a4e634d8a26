package dev.keel.gateway;

import dev.keel.core.cost.Cost;
import dev.keel.core.usage.Usage;
import dev.keel.gateway.routing.RoutePlanner;
import java.util.Map;

/**
 * What a cost_aware route saved on one answer from a cheaper deployment: the route's strong
 * deployment's price for the same usage, less what was charged, recorded on the GENERATION as
 * {@code routing_saving_usd} (with {@code routing_strong_model}) for the cost report.
 */
final class RoutingSavings {

  private RoutingSavings() {}

  static void record(RoutePlanner planner, Pricing pricing, ChatCall call, Usage usage,
      Cost cost, Map<String, Object> md) {
    var strong = planner.strongOf(call.requestedModel());
    // A cache hit already records its whole saving as cache_saving_usd.
    if (strong.isEmpty() || cost == null || strong.get().equals(call.deployment())
        || md.containsKey("cache_hit")) {
      return;
    }
    pricing.cost(strong.get().priceModel(), usage).ifPresent(s -> {
      md.put("routing_strong_model", strong.get().label());
      md.put("routing_saving_usd", s.total().subtract(cost.total()).toPlainString());
    });
  }
}
