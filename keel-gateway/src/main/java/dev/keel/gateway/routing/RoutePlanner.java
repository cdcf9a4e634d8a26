package dev.keel.gateway.routing;

import dev.keel.core.cost.ModelPrice;
import dev.keel.core.cost.PriceTable;
import dev.keel.gateway.config.RoutingConfig;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/**
 * Turns a requested model into a {@link RoutePlan}. A plain model is one deployment; a route's
 * name is its group of deployments, ordered by the route's strategy, and its fallbacks. Every
 * model a route names is resolved at start, so a typo fails there, not on the first request.
 */
public final class RoutePlanner {

  private final ModelRouter router;
  private final DeploymentHealth health;
  private final PriceTable prices;
  private final Map<String, CompiledRoute> routes = new LinkedHashMap<>();
  private volatile RouteQuality quality;

  public RoutePlanner(ModelRouter router, RoutingConfig config, DeploymentHealth health,
      PriceTable prices) {
    this.router = router;
    this.health = health;
    this.prices = prices;
    for (RoutingConfig.Route r : config.routes()) {
      routes.put(r.name(), compile(r));
    }
  }

  /** The plan for {@code model}; a 404 from the router when it names nothing Keel can serve. */
  public RoutePlan plan(String model) {
    return plan(model, () -> Difficulty.UNKNOWN);
  }

  /**
   * As {@link #plan(String)}; a cost_aware route orders its group by the request's difficulty,
   * which is only worked out for such routes.
   */
  public RoutePlan plan(String model, Supplier<Difficulty> difficulty) {
    CompiledRoute r = routes.get(model);
    if (r == null) {
      return RoutePlan.single(router.resolve(model));
    }
    if (r.strategy().equals("cost_aware")) {
      boolean hard = difficulty.get().hard(r.costAware());
      return new RoutePlan(costAwareOrder(model, r, hard), r.fallbacks(), hard ? "hard" : "easy");
    }
    return new RoutePlan(order(r), r.fallbacks());
  }

  /**
   * Lets cost_aware routes with a quality bar keep easy requests away from deployments whose
   * measured quality is below it (see {@link RouteQuality}).
   */
  public void useQuality(RouteQuality q) {
    this.quality = q;
  }

  /** The cost_aware routes, each with its deployments from cheapest to dearest. */
  public List<CostAwareRoute> costAwareRoutes() {
    var out = new ArrayList<CostAwareRoute>();
    routes.forEach((name, r) -> {
      if (r.strategy().equals("cost_aware")) {
        List<Deployment> byPrice = r.group().stream().map(Weighted::deployment)
            .sorted(Comparator.comparing(this::knownUnitPrice)).toList();
        out.add(new CostAwareRoute(name, byPrice, strongOf(name).orElseThrow(),
            r.costAware()));
      }
    });
    return out;
  }

  /**
   * The deployment a cost_aware route named {@code model} sends hard requests to (its most
   * expensive), which is what its easy requests are compared with; empty for anything else.
   */
  public Optional<Deployment> strongOf(String model) {
    CompiledRoute r = routes.get(model);
    if (r == null || !r.strategy().equals("cost_aware")) {
      return Optional.empty();
    }
    return r.group().stream().map(Weighted::deployment)
        .max(Comparator.comparing(this::knownUnitPrice));
  }

  public DeploymentHealth health() {
    return health;
  }

  /** The most prompt tokens a deployment's model accepts, or null when the table does not say. */
  public Integer contextWindow(Deployment d) {
    return prices.maxInputTokens(d.upstreamModel()).orElse(null);
  }

  /** Route names, for listing as models. */
  public List<String> routeNames() {
    return List.copyOf(routes.keySet());
  }

  private CompiledRoute compile(RoutingConfig.Route r) {
    var group = new ArrayList<Weighted>();
    for (RoutingConfig.Target t : r.deployments()) {
      group.add(new Weighted(resolve(r, t.model()), t.weight()));
    }
    var steps = new ArrayList<RoutePlan.FallbackStep>();
    for (RoutingConfig.Fallback f : r.fallbacks()) {
      steps.add(new RoutePlan.FallbackStep(f.on(),
          f.models().stream().map(m -> resolve(r, m)).toList()));
    }
    return new CompiledRoute(r.strategy(), group, steps, r.costAware());
  }

  private Deployment resolve(RoutingConfig.Route r, String model) {
    if (routes.containsKey(model) || model.equals(r.name())) {
      throw new IllegalArgumentException("routing.routes[" + r.name() + "] names a route ("
          + model + ") where a model is expected; routes cannot nest");
    }
    try {
      return router.resolve(model);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("routing.routes[" + r.name() + "] names a model Keel "
          + "cannot serve: " + model + " (" + e.getMessage() + ")", e);
    }
  }

  /**
   * Easy requests cheapest first, hard ones dearest first. With a quality bar, an easy request
   * tries deployments measured below it only after the others (they stay as a last resort).
   */
  private List<Deployment> costAwareOrder(String name, CompiledRoute r, boolean hard) {
    List<Weighted> group = new ArrayList<>(r.group());
    Comparator<Weighted> cheapFirst = Comparator.comparing(w -> knownUnitPrice(w.deployment()));
    group.sort(hard ? cheapFirst.reversed() : cheapFirst);
    RouteQuality q = quality;
    if (!hard && q != null) {
      var below = q.belowBar(name);
      if (!below.isEmpty()) {
        group.sort(Comparator.comparing(w -> below.contains(w.deployment().upstreamModel())));
      }
    }
    return healthyFirst(group);
  }

  private List<Deployment> order(CompiledRoute r) {
    List<Weighted> group = new ArrayList<>(r.group());
    switch (r.strategy()) {
      case "lowest_latency" -> group.sort(Comparator.comparingLong(w -> health.latencyNanos(
          w.deployment())));
      case "lowest_cost" -> group.sort(Comparator.comparing(w -> unitPrice(w.deployment())));
      case "least_busy" -> group.sort(Comparator.comparingInt(w -> health.inFlight(
          w.deployment())));
      default -> group = weightedOrder(group);
    }
    return healthyFirst(group);
  }

  /** The group in its order, deployments in cooldown moved to the end. */
  private List<Deployment> healthyFirst(List<Weighted> group) {
    List<Deployment> out = new ArrayList<>();
    group.stream().map(Weighted::deployment).filter(d -> !health.coolingDown(d))
        .forEach(out::add);
    group.stream().map(Weighted::deployment).filter(health::coolingDown).forEach(out::add);
    return out;
  }

  /** A random order in which each deployment comes first with probability weight / total. */
  private static List<Weighted> weightedOrder(List<Weighted> group) {
    var rest = new ArrayList<>(group);
    var out = new ArrayList<Weighted>();
    while (!rest.isEmpty()) {
      int total = rest.stream().mapToInt(Weighted::weight).sum();
      int pick = ThreadLocalRandom.current().nextInt(total);
      for (int i = 0; i < rest.size(); i++) {
        pick -= rest.get(i).weight();
        if (pick < 0) {
          out.add(rest.remove(i));
          break;
        }
      }
    }
    return out;
  }

  /** Input plus output price per token: the order lowest_cost sorts by; unknown sorts last. */
  private BigDecimal unitPrice(Deployment d) {
    return prices.find(d.priceModel()).map(ModelPrice::rates)
        .map(r -> nz(r.input()).add(nz(r.output())))
        .orElse(BigDecimal.valueOf(Long.MAX_VALUE));
  }

  /** As {@link #unitPrice}, but an unknown price counts as free, not as dearest. */
  private BigDecimal knownUnitPrice(Deployment d) {
    BigDecimal p = unitPrice(d);
    return p.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) == 0 ? BigDecimal.ZERO : p;
  }

  private static BigDecimal nz(BigDecimal b) {
    return b == null ? BigDecimal.ZERO : b;
  }

  /**
   * A cost_aware route as the quality refresher and the routing report see it.
   *
   * @param byPrice its deployments, cheapest first
   * @param strong the dearest, where hard requests go and what savings are measured against
   */
  public record CostAwareRoute(String name, List<Deployment> byPrice, Deployment strong,
      RoutingConfig.CostAware rule) {}

  private record Weighted(Deployment deployment, int weight) {}

  private record CompiledRoute(String strategy, List<Weighted> group,
      List<RoutePlan.FallbackStep> fallbacks, RoutingConfig.CostAware costAware) {}
}
