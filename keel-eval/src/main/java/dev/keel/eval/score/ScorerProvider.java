package dev.keel.eval.score;

import dev.keel.eval.Scorer;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Scorers from outside keel-eval (keel-agent's, or a user's) that evaluation files can name.
 * Implementations are found with {@link java.util.ServiceLoader}: list the class in
 * {@code META-INF/services/dev.keel.eval.score.ScorerProvider} of its jar.
 */
public interface ScorerProvider {

  /** The scorer names this provider creates. */
  Set<String> names();

  /**
   * The scorer called {@code name} with these options, or empty when this provider has none of
   * that name. A bad option is an IllegalArgumentException naming it.
   */
  Optional<Scorer> create(String name, Map<String, Object> options);
}
