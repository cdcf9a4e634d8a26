package dev.keel.gateway.routing;

import java.util.List;

/**
 * Where one request may go, in order: the deployments of its model (one, or a route's group
 * ordered by the route's strategy, those in cooldown last), then fallbacks by error class.
 *
 * @param tier {@code easy} or {@code hard} on a cost_aware route, null anywhere else
 */
public record RoutePlan(List<Deployment> primary, List<FallbackStep> fallbacks, String tier) {

  public RoutePlan {
    primary = List.copyOf(primary);
    fallbacks = List.copyOf(fallbacks);
    if (primary.isEmpty()) {
      throw new IllegalArgumentException("a route plan needs a deployment");
    }
  }

  public RoutePlan(List<Deployment> primary, List<FallbackStep> fallbacks) {
    this(primary, fallbacks, null);
  }

  public static RoutePlan single(Deployment d) {
    return new RoutePlan(List.of(d), List.of());
  }

  public Deployment first() {
    return primary.get(0);
  }

  /** True when a failure can go anywhere but the first deployment. */
  public boolean hasAlternatives() {
    return primary.size() > 1 || !fallbacks.isEmpty();
  }

  /**
   * Deployments to try when the primary group failed with {@code errorClass}, in order.
   *
   * @param errorClass rate_limit, server_error, timeout, context_window or content_policy
   */
  public record FallbackStep(List<String> on, List<Deployment> deployments) {
    public FallbackStep {
      on = List.copyOf(on);
      deployments = List.copyOf(deployments);
    }
  }
}
