package dev.keel.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keel.gateway.routing.RouteQuality;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import java.time.Duration;

/**
 * {@code GET /api/keel/reports/routing} (master key): what cost_aware routes did over a time
 * range (requests per tier and model, cost against always using the strong model, measured
 * quality per model and the traffic-weighted expected quality). Query parameters:
 * {@code fromTimestamp} and {@code toTimestamp} (ISO-8601 instants; the last 30 days by default).
 */
final class RoutingReportRoutes {

  private static final Duration DEFAULT_RANGE = Duration.ofDays(30);
  private final ServerContext ctx;
  private final RouteQuality quality;

  RoutingReportRoutes(ServerContext ctx, RouteQuality quality) {
    this.ctx = ctx;
    this.quality = quality;
  }

  void register(HttpRouting.Builder r) {
    r.get("/api/keel/reports/routing", (req, res) -> KeelApi.handle(req, res, ctx.keys(),
        p -> KeelApi.Answer.ok(report(req, p.projectId()))));
  }

  private ObjectNode report(ServerRequest req, String projectId) {
    var r = CostReportRoutes.range(req, ctx.clock().instant(), DEFAULT_RANGE);
    return quality.report(projectId, r.from(), r.to());
  }
}
