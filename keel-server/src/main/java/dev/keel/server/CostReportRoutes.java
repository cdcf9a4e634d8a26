package dev.keel.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keel.core.trace.QueryTime;
import dev.keel.store.CostGroupBy;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import java.time.Duration;
import java.time.Instant;

/**
 * {@code GET /api/keel/reports/cost} (master key): spend over a time range grouped by model,
 * key, user, team, prompt version or UTC day, with cache and prompt-caching savings and the
 * projected monthly spend. Query parameters: {@code fromTimestamp}, {@code toTimestamp}
 * (ISO-8601 instants; the last 30 days by default) and {@code groupBy} ({@code model} by
 * default).
 */
final class CostReportRoutes {

  private static final Duration DEFAULT_RANGE = Duration.ofDays(30);
  private final ServerContext ctx;
  private final CostReport report;

  CostReportRoutes(ServerContext ctx) {
    this.ctx = ctx;
    this.report = new CostReport(ctx.pricer());
  }

  void register(HttpRouting.Builder r) {
    r.get("/api/keel/reports/cost", (req, res) -> KeelApi.handle(req, res, ctx.keys(),
        p -> KeelApi.Answer.ok(costReport(req, p.projectId()))));
  }

  private ObjectNode costReport(ServerRequest req, String projectId) {
    Instant now = ctx.clock().instant();
    Range r = range(req, now, DEFAULT_RANGE);
    CostGroupBy by = CostGroupBy.parse(req.query().first("groupBy").orElse("model"));
    var rows = ctx.store().reports().costs(projectId, by, r.from(), r.to());
    return report.render(rows, by, r.from(), r.to(), now);
  }

  /** A report's time range: from inclusive, to exclusive, never empty. */
  record Range(Instant from, Instant to) {}

  /**
   * The {@code fromTimestamp}/{@code toTimestamp} of a report request: {@code to} defaults to
   * now, {@code from} to {@code defaultRange} before {@code to}; an empty or reversed range is
   * refused.
   */
  static Range range(ServerRequest req, Instant now, Duration defaultRange) {
    Instant to = time(req, "toTimestamp", now);
    Instant from = time(req, "fromTimestamp", to.minus(defaultRange));
    if (!from.isBefore(to)) {
      throw new IllegalArgumentException("fromTimestamp must be before toTimestamp: " + from
          + " >= " + to);
    }
    return new Range(from, to);
  }

  static Instant time(ServerRequest req, String param, Instant fallback) {
    Instant t = QueryTime.parse(param, req.query().first(param).orElse(null));
    return t == null ? fallback : t;
  }
}
