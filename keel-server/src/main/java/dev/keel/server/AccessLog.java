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
  private final Metrics metrics;

  AccessLog(Metrics metrics) {
    this.metrics = metrics;
  }

  void register(HttpRouting.Builder routing) {
    routing.addFilter((chain, req, res) -> {
      long t0 = System.nanoTime();
      try {
        chain.proceed();
      } finally {
        long nanos = System.nanoTime() - t0;
        String route = req.path().path();
        if (!route.startsWith("/v1/") && !route.startsWith("/api/")) {
          route = "other";
        } else if (route.startsWith("/api/public/traces/")) {
          route = "/api/public/traces/{id}";
        }
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
