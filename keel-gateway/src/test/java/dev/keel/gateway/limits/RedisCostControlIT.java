package dev.keel.gateway.limits;

import java.util.Map;
import java.util.UUID;

/** Cost control with counters in Redis on 127.0.0.1:6379, under a prefix of its own. */
class RedisCostControlIT extends CostControlContract {

  private final String prefix = "keel-it:" + UUID.randomUUID() + ":";

  @Override
  Map<String, String> env() {
    return Map.of("KEEL_REDIS_URL", "redis://127.0.0.1:6379", "KEEL_REDIS_PREFIX", prefix);
  }
}
