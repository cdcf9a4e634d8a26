package dev.keel.server;

import dev.keel.gateway.metrics.Metrics;
import io.helidon.webserver.http.HttpRouting;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place that observes every request: a DEBUG access-log line and the request metrics.
 * Handlers do not log per request.
 */
final class AccessLog {

  private static final Logger log = LoggerFactory.getLogger("keel.access");
  private static final java.util.Set<String> KNOWN = java.util.Set.of("/v1/chat/completions",
      "/v1/messages", "/v1/embeddings", "/v1/models", "/api/public/traces",
      "/api/public/observations", "/api/public/metrics/daily", "/api/public/health",
      "/api/public/ready", "/metrics");
  private final Metrics metrics;
  private final java.util.concurrent.atomic.AtomicInteger inFlight =
      new java.util.concurrent.atomic.AtomicInteger();
  private volatile boolean draining;

  AccessLog(Metrics metrics) {
    this.metrics = metrics;
  }

  /** Known routes by name; anything else as "other", so clients cannot grow the label set. */
  static String routeLabel(String path) {
    if (KNOWN.contains(path)) {
      return path;
    }
    if (path.startsWith("/api/public/traces/")) {
      return "/api/public/traces/{id}";
    }
    return "other";
  }

  /**
   * Stops taking requests (new ones get 503 with retry-after, so a load balancer moves them on)
   * and waits up to {@code grace} for those in flight, streams included, to finish.
   * Returns how many were still running when the wait ended.
   */
  int drain(java.time.Duration grace) {
    draining = true;
    long deadline = System.nanoTime() + grace.toNanos();
    while (inFlight.get() > 0 && System.nanoTime() < deadline) {
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    return inFlight.get();
  }

  void register(HttpRouting.Builder routing) {
    routing.addFilter((chain, req, res) -> {
      long t0 = System.nanoTime();
      if (draining && !req.path().path().equals("/api/public/health")) {
        res.status(io.helidon.http.Status.SERVICE_UNAVAILABLE_503);
        res.header("retry-after", "1");
        res.header("content-type", "application/json");
        res.send("{\"error\":{\"message\":\"Keel is shutting down; retry the request\","
            + "\"type\":\"unavailable\",\"code\":\"shutting_down\",\"param\":null}}");
        return;
      }
      inFlight.incrementAndGet();
      try {
        chain.proceed();
      } finally {
        inFlight.decrementAndGet();
        long nanos = System.nanoTime() - t0;
        String route = routeLabel(req.path().path());
        String model = req.context().get(GatewayRoutes.MODEL_ATTRIBUTE, String.class)
            .orElse("");
        int status = res.status().code();
        metrics.request(route, model, status, nanos);
        if (log.isDebugEnabled()) {
          log.debug("{} {} {} {} {}ms", req.prologue().method().text(), req.path().path(),
              status, model, nanos / 1_000_000);
        }
      }
    });
  }
}
