package dev.keel.core.cost;

import dev.keel.core.usage.Usage;
import java.util.Optional;

/** Prices the usage of one model call; empty when the model's price is unknown. */
@FunctionalInterface
public interface Pricer {

  Optional<Cost> cost(String model, Usage usage);
}
