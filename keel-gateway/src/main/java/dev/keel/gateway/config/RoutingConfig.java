package dev.keel.gateway.config;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * How requests find a deployment when one fails: retries, cooldown of failing deployments, and
 * routes (a name standing for a group of deployments, with fallbacks by error class). The
 * {@code routing:} section of keel.yaml; docs/routing.md describes each key.
 *
 * @param retries retries of one deployment before falling back
 * @param cooldown when a deployment is taken out of rotation, and for how long
 * @param routes named groups of deployments
 */
public record RoutingConfig(Retries retries, Cooldown cooldown, List<Route> routes) {

  public static final RoutingConfig DEFAULT = new RoutingConfig(null, null, null);

  /** Error classes a fallback can be chosen for. */
  public static final Set<String> ERROR_CLASSES = Set.of("rate_limit", "server_error", "timeout",
      "context_window", "content_policy");

  public RoutingConfig {
    retries = retries == null ? Retries.DEFAULT : retries;
    cooldown = cooldown == null ? Cooldown.DEFAULT : cooldown;
    routes = routes == null ? List.of() : List.copyOf(routes);
    Set<String> names = new HashSet<>();
    for (Route r : routes) {
      if (!names.add(r.name())) {
        throw new IllegalArgumentException("route declared twice: " + r.name());
      }
    }
  }

  /**
   * @param max retries of the same deployment after the first attempt (0 to 10)
   * @param initialBackoffMs wait before the first retry; doubles each time, with jitter
   * @param maxBackoffMs longest wait between attempts; a provider's retry-after longer than this
   *     moves on to a fallback instead of waiting
   */
  public record Retries(Integer max, Integer initialBackoffMs, Integer maxBackoffMs) {
    public static final Retries DEFAULT = new Retries(null, null, null);

    public Retries {
      max = max == null ? 2 : max;
      initialBackoffMs = initialBackoffMs == null ? 200 : initialBackoffMs;
      maxBackoffMs = maxBackoffMs == null ? 5_000 : maxBackoffMs;
      if (max < 0 || max > 10) {
        throw new IllegalArgumentException("routing.retries.max must be between 0 and 10: "
            + max);
      }
      if (initialBackoffMs < 0 || maxBackoffMs < initialBackoffMs) {
        throw new IllegalArgumentException("routing.retries needs 0 <= initial_backoff_ms <= "
            + "max_backoff_ms: " + initialBackoffMs + ", " + maxBackoffMs);
      }
    }
  }

  /**
   * @param failures consecutive failures that put a deployment in cooldown
   * @param seconds how long it stays out of rotation
   */
  public record Cooldown(Integer failures, Integer seconds) {
    public static final Cooldown DEFAULT = new Cooldown(null, null);

    public Cooldown {
      failures = failures == null ? 3 : failures;
      seconds = seconds == null ? 30 : seconds;
      if (failures <= 0 || seconds < 0) {
        throw new IllegalArgumentException("routing.cooldown needs failures > 0 and seconds >= "
            + "0: " + failures + ", " + seconds);
      }
    }
  }

  /**
   * A model name that stands for a group of deployments.
   *
   * @param name what clients send as {@code model}
   * @param strategy weighted (default), lowest_latency, lowest_cost, least_busy or cost_aware
   * @param deployments the group; each names a model Keel can resolve
   * @param fallbacks where to go when the group fails, by error class
   * @param costAware what makes a request hard, for the cost_aware strategy
   */
  public record Route(String name, String strategy, List<Target> deployments,
      List<Fallback> fallbacks, CostAware costAware) {

    /** A route without cost-aware settings (they take their defaults). */
    public Route(String name, String strategy, List<Target> deployments,
        List<Fallback> fallbacks) {
      this(name, strategy, deployments, fallbacks, null);
    }

    public Route {
      if (name == null || name.isBlank()) {
        throw new IllegalArgumentException("routing.routes[].name is required");
      }
      strategy = strategy == null ? "weighted" : strategy;
      if (!Set.of("weighted", "lowest_latency", "lowest_cost", "least_busy", "cost_aware")
          .contains(strategy)) {
        throw new IllegalArgumentException("routing.routes[" + name + "].strategy must be "
            + "weighted, lowest_latency, lowest_cost, least_busy or cost_aware: " + strategy);
      }
      costAware = costAware == null ? CostAware.DEFAULT : costAware;
      deployments = deployments == null ? List.of() : List.copyOf(deployments);
      if (deployments.isEmpty()) {
        throw new IllegalArgumentException("routing.routes[" + name + "].deployments is empty");
      }
      fallbacks = fallbacks == null ? List.of() : List.copyOf(fallbacks);
    }
  }

  /**
   * When a request counts as hard for a cost_aware route (it then goes to the route's most
   * expensive deployment first; easy ones go to the cheapest first).
   *
   * @param maxEasyPromptTokens a prompt estimated above this many tokens is hard (default 1000)
   * @param maxEasyMessages a conversation of more messages is hard (default 6)
   * @param hardKeywords a last user message containing one of these (any case) is hard
   * @param quality the measured quality a cheaper deployment needs to be given easy requests;
   *     null to route by request features only
   */
  public record CostAware(Integer maxEasyPromptTokens, Integer maxEasyMessages,
      List<String> hardKeywords, Quality quality) {
    public static final List<String> DEFAULT_KEYWORDS = List.of("step by step", "prove",
        "derive", "analyze", "analyse", "debug", "refactor", "algorithm", "optimize",
        "trade-off", "in detail");
    // After DEFAULT_KEYWORDS, which its constructor reads.
    public static final CostAware DEFAULT = new CostAware(null, null, null, null);

    /** Routing by request features only. */
    public CostAware(Integer maxEasyPromptTokens, Integer maxEasyMessages,
        List<String> hardKeywords) {
      this(maxEasyPromptTokens, maxEasyMessages, hardKeywords, null);
    }

    public CostAware {
      maxEasyPromptTokens = maxEasyPromptTokens == null ? 1000 : maxEasyPromptTokens;
      maxEasyMessages = maxEasyMessages == null ? 6 : maxEasyMessages;
      hardKeywords = hardKeywords == null ? DEFAULT_KEYWORDS
          : hardKeywords.stream().map(k -> k.toLowerCase(java.util.Locale.ROOT)).toList();
      if (maxEasyPromptTokens <= 0 || maxEasyMessages <= 0) {
        throw new IllegalArgumentException("routing cost_aware limits must be positive: "
            + maxEasyPromptTokens + ", " + maxEasyMessages);
      }
    }
  }

  /**
   * The quality bar of a cost_aware route: a deployment cheaper than the route's strongest gets
   * easy requests only while its measured mean of score {@code metric} is at least
   * {@code minScore}. Scores come from the store (evaluation runs and online evaluation), are
   * read every {@code refreshSeconds} off the request path, and count once there are
   * {@code minScores} of them in the last {@code windowDays}; until then the route goes by
   * request features only.
   *
   * @param metric the score name, such as exact_match (required)
   * @param minScore the lowest acceptable mean score (required)
   * @param minScores fewer scores than this is not a measurement (default 20)
   * @param windowDays scores older than this many days are left out (default 30)
   * @param refreshSeconds how often scores are read again (default 60)
   */
  public record Quality(String metric, Double minScore, Integer minScores, Integer windowDays,
      Integer refreshSeconds) {
    public Quality {
      if (metric == null || metric.isBlank()) {
        throw new IllegalArgumentException("routing cost_aware.quality.metric is required (a "
            + "score name such as exact_match)");
      }
      if (minScore == null || minScore.isNaN() || minScore.isInfinite()) {
        throw new IllegalArgumentException("routing cost_aware.quality.min_score is required "
            + "(the lowest acceptable mean of " + metric + "): " + minScore);
      }
      minScores = minScores == null ? 20 : minScores;
      windowDays = windowDays == null ? 30 : windowDays;
      refreshSeconds = refreshSeconds == null ? 60 : refreshSeconds;
      if (minScores <= 0) {
        throw new IllegalArgumentException("routing cost_aware.quality.min_scores must be "
            + "positive: " + minScores);
      }
      if (windowDays <= 0 || windowDays > 3650) {
        throw new IllegalArgumentException("routing cost_aware.quality.window_days must be "
            + "between 1 and 3650: " + windowDays);
      }
      if (refreshSeconds <= 0 || refreshSeconds > 86_400) {
        throw new IllegalArgumentException("routing cost_aware.quality.refresh_seconds must be "
            + "between 1 and 86400: " + refreshSeconds);
      }
    }
  }

  /** One deployment of a route: a model name and its share of traffic when weighted. */
  public record Target(String model, Integer weight) {
    public Target {
      if (model == null || model.isBlank()) {
        throw new IllegalArgumentException("routing.routes[].deployments[].model is required");
      }
      weight = weight == null ? 1 : weight;
      if (weight <= 0) {
        throw new IllegalArgumentException("routing weight must be positive: " + model + " "
            + weight);
      }
    }
  }

  /**
   * Models to try, in order, when the route fails with one of the error classes in {@code on}
   * (all of {@link #ERROR_CLASSES} when empty).
   */
  public record Fallback(List<String> on, List<String> models) {
    public Fallback {
      on = on == null || on.isEmpty() ? List.copyOf(ERROR_CLASSES) : List.copyOf(on);
      for (String c : on) {
        if (!ERROR_CLASSES.contains(c)) {
          throw new IllegalArgumentException("routing fallback error class must be one of "
              + ERROR_CLASSES + ": " + c);
        }
      }
      models = models == null ? List.of() : List.copyOf(models);
      if (models.isEmpty()) {
        throw new IllegalArgumentException("routing fallback has no models");
      }
    }
  }
}
