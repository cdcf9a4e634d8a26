package dev.keel.store;

import java.time.Instant;
import java.util.List;

/** What quality-aware routing and its report read from the store. */
public interface RoutingStore {

  /**
   * Numeric and boolean scores named {@code metric} made since {@code since}, in every project,
   * per model that answered on the scored trace (or the scored observation) and per eval run.
   * A score counts once per model even when that model answered several times on its trace,
   * but once for each of two models that both answered there (an agent's steps, say): telling
   * which answer was scored would need the scorer to name the observation, which eval runs do
   * not.
   */
  List<ModelScore> modelScores(String metric, Instant since);

  /**
   * The project's gateway generations on cost-aware routes that started in [from, to), per
   * route, tier and model.
   */
  List<RoutedCalls> routedCalls(String projectId, Instant from, Instant to);
}
