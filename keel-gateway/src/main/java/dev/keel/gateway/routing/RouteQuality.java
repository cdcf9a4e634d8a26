package dev.keel.gateway.routing;

import dev.keel.gateway.config.RoutingConfig;
import dev.keel.store.ModelScore;
import dev.keel.store.RoutingStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Measured quality per model for cost_aware routes with a quality bar: every
 * {@code refresh_seconds} one thread reads the mean of each route's score metric per model from
 * the store (evaluation runs and online evaluation alike) and works out which cheaper
 * deployments are below the bar. The request path only reads the last result (one volatile
 * read), so measuring adds no latency; a change of decision is logged once, at INFO.
 *
 * <p>A model with fewer than {@code min_scores} scores in the window is unmeasured: its route
 * goes by request features alone for it, and {@link View#basis()} says so.
 */
public final class RouteQuality implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(RouteQuality.class);

  private final RoutePlanner planner;
  private final RoutingStore store;
  private final Clock clock;
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
      r -> Thread.ofPlatform().daemon().name("keel-route-quality").unstarted(r));
  private volatile Map<String, View> views = Map.of();

  private RouteQuality(RoutePlanner planner, RoutingStore store, Clock clock) {
    this.planner = planner;
    this.store = store;
    this.clock = clock;
  }

  /**
   * Starts measuring for the planner's cost_aware routes and makes the planner use it. Reads
   * the store at once (off the caller's thread) and then every route's shortest
   * {@code refresh_seconds}; reads nothing when no route has a quality bar.
   */
  public static RouteQuality start(RoutePlanner planner, RoutingStore store, Clock clock) {
    var q = new RouteQuality(planner, store, clock);
    q.views = q.unmeasured();
    planner.costAwareRoutes().stream().map(r -> r.rule().quality())
        .filter(java.util.Objects::nonNull).mapToInt(RoutingConfig.Quality::refreshSeconds)
        .min().ifPresent(every -> q.timer.scheduleWithFixedDelay(q::refreshQuietly, 0, every,
            TimeUnit.SECONDS));
    planner.useQuality(q);
    return q;
  }

  /** Upstream models of the route measured below its bar (empty when none or unmeasured). */
  Set<String> belowBar(String route) {
    View v = views.get(route);
    return v == null ? Set.of() : v.belowBar();
  }

  /** What each cost_aware route decided at the last refresh, by route name. */
  public Map<String, View> views() {
    return views;
  }

  /**
   * The routing report over [from, to): per cost_aware route, requests per tier and model, cost
   * against always using the strong model, and measured quality (see {@link RoutingReport}).
   */
  public com.fasterxml.jackson.databind.node.ObjectNode report(String projectId, Instant from,
      Instant to) {
    return RoutingReport.render(planner.costAwareRoutes(), views,
        store.routedCalls(projectId, from, to), from, to);
  }

  /** Reads the store now, on the caller's thread (tests, and the timer). */
  public synchronized void refresh() {
    Instant now = clock.instant();
    Map<String, List<ModelScore>> byMetric = new HashMap<>();
    Map<String, View> next = new LinkedHashMap<>();
    for (RoutePlanner.CostAwareRoute r : planner.costAwareRoutes()) {
      RoutingConfig.Quality bar = r.rule().quality();
      if (bar == null) {
        next.put(r.name(), featuresOnly(r, "no quality bar configured (cost_aware.quality)"));
        continue;
      }
      Instant since = now.minus(Duration.ofDays(bar.windowDays()));
      List<ModelScore> scores = byMetric.computeIfAbsent(bar.metric() + "|" + since,
          k -> store.modelScores(bar.metric(), since));
      next.put(r.name(), measure(r, bar, scores, now));
    }
    next.forEach((name, v) -> {
      View before = views.get(name);
      if (before == null || !before.basis().equals(v.basis())) {
        log.info("route {}: {}", name, v.basis());
      }
    });
    views = Map.copyOf(next);
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }

  private void refreshQuietly() {
    try {
      refresh();
    } catch (RuntimeException e) {
      log.warn("could not read model scores for quality-aware routing ({}); routes keep their "
          + "last decision and it is tried again at the next refresh", e.getMessage());
    }
  }

  private Map<String, View> unmeasured() {
    Map<String, View> out = new LinkedHashMap<>();
    for (RoutePlanner.CostAwareRoute r : planner.costAwareRoutes()) {
      out.put(r.name(), featuresOnly(r, r.rule().quality() == null
          ? "no quality bar configured (cost_aware.quality)" : "scores not read yet"));
    }
    return out;
  }

  private View featuresOnly(RoutePlanner.CostAwareRoute r, String why) {
    return new View(r.name(), r.rule().quality(), Map.of(), Set.of(),
        "features only: " + why, null);
  }

  private View measure(RoutePlanner.CostAwareRoute r, RoutingConfig.Quality bar,
      List<ModelScore> scores, Instant now) {
    Map<String, Measured> measured = new LinkedHashMap<>();
    for (Deployment d : r.byPrice()) {
      List<ModelScore> mine = scores.stream().filter(s -> s.model().equals(d.upstreamModel()))
          .toList();
      if (!mine.isEmpty()) {
        measured.put(d.upstreamModel(), Measured.of(d.upstreamModel(), mine, bar.minScores()));
      }
    }
    Set<String> below = new LinkedHashSet<>();
    List<String> unmeasured = new ArrayList<>();
    List<String> judged = new ArrayList<>();
    for (Deployment d : r.byPrice()) {
      if (d.equals(r.strong())) {
        continue;
      }
      Measured m = measured.get(d.upstreamModel());
      if (m == null || !m.enough()) {
        unmeasured.add(d.upstreamModel() + " (" + (m == null ? 0 : m.scores()) + " scores)");
        continue;
      }
      boolean ok = m.mean() >= bar.minScore();
      if (!ok) {
        below.add(d.upstreamModel());
      }
      judged.add(String.format(Locale.ROOT, "%s %.3f over %d scores is %s %s",
          d.upstreamModel(), m.mean(), m.scores(), ok ? "at or above" : "below",
          bar.minScore()) + (ok
          ? ", so it gets easy requests" : ", so easy requests skip it"));
    }
    String basis;
    if (judged.isEmpty()) {
      basis = "features only: too few " + bar.metric() + " scores in the last "
          + bar.windowDays() + " days for " + String.join(", ", unmeasured) + "; "
          + bar.minScores() + " needed";
    } else {
      basis = "features and measured " + bar.metric() + ": " + String.join("; ", judged)
          + (unmeasured.isEmpty() ? "" : "; unmeasured, by features only: "
              + String.join(", ", unmeasured));
    }
    return new View(r.name(), bar, Map.copyOf(measured), Set.copyOf(below), basis, now);
  }

  /**
   * One route's decision.
   *
   * @param bar its quality bar, or null
   * @param measured per upstream model of the route, the scores found (enough or not)
   * @param belowBar upstream models kept from easy requests
   * @param basis what the route decides by, in words, for logs and the report
   * @param refreshedAt when the store was read, or null before the first read
   */
  public record View(String route, RoutingConfig.Quality bar, Map<String, Measured> measured,
      Set<String> belowBar, String basis, Instant refreshedAt) {}

  /**
   * A model's measured quality: the mean over all its scores in the window, and where they
   * came from (one entry per eval run, the run null for online evaluation).
   *
   * @param enough whether there are at least min_scores of them
   */
  public record Measured(String model, long scores, double mean, boolean enough,
      List<ModelScore> sources) {

    static Measured of(String model, List<ModelScore> sources, int minScores) {
      long n = sources.stream().mapToLong(ModelScore::scores).sum();
      double sum = sources.stream().mapToDouble(s -> s.mean() * s.scores()).sum();
      return new Measured(model, n, sum / n, n >= minScores, List.copyOf(sources));
    }
  }
}
