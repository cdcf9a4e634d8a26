package dev.keel.gateway.limits;

import java.util.Map;

/** Cost control with in-process counters over SQLite. */
class LocalCostControlIT extends CostControlContract {

  @Override
  Map<String, String> env() {
    return Map.of();
  }
}
