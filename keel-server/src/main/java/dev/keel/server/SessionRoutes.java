package dev.keel.server;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keel.core.error.ErrorCode;
import dev.keel.core.error.KeelException;
import dev.keel.gateway.auth.Principal;
import dev.keel.store.Page;
import dev.keel.store.SessionQuery;
import dev.keel.store.SessionSummary;
import dev.keel.store.TraceSummary;
import dev.keel.store.publicapi.PublicApiJson;
import io.helidon.http.Method;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import java.util.List;

/**
 * Langfuse-compatible sessions: {@code GET /api/public/sessions} (newest first, with page,
 * limit, fromTimestamp, toTimestamp and environment) and {@code GET /api/public/sessions/{id}}
 * with its traces, oldest first.
 */
final class SessionRoutes {

  private final ServerContext ctx;

  SessionRoutes(ServerContext ctx) {
    this.ctx = ctx;
  }

  void register(HttpRouting.Builder r) {
    r.get("/api/public/sessions", (req, res) -> IngestionRoutes.handle(res, () -> {
      Principal p = IngestionRoutes.principal(ctx, req, false);
      var q = req.query().toMap();
      dev.keel.core.trace.QueryTime.ordered("fromTimestamp", ScoreRoutes.time(q,
          "fromTimestamp"), "toTimestamp", ScoreRoutes.time(q, "toTimestamp"));
      Page<SessionSummary> page = ctx.store().sessions().list(new SessionQuery(p.projectId(),
          ScoreRoutes.time(q, "fromTimestamp"), ScoreRoutes.time(q, "toTimestamp"),
          ScoreRoutes.one(q, "environment"), PublicApiJson.page(q), PublicApiJson.limit(q)));
      return PublicApiJson.page(page.items().stream().map(PublicApiJson::session).toList(),
          page);
    }));
    // Matched raw: a session id may hold a slash, sent as %2F.
    r.route(Method.GET, RawPathPattern.of("/api/public/sessions/{id}"), (req, res) ->
        IngestionRoutes.handle(res, () -> session(req)));
  }

  private ObjectNode session(ServerRequest req) {
    Principal p = IngestionRoutes.principal(ctx, req, false);
    String id = req.path().pathParameters().get("id");
    SessionSummary s = ctx.store().sessions().find(p.projectId(), id).orElseThrow(
        () -> new KeelException(ErrorCode.NOT_FOUND, "session not found: " + id));
    List<TraceSummary> traces = ctx.store().sessions().traces(p.projectId(), id);
    var ids = ctx.store().traces().observationIds(p.projectId(),
        traces.stream().map(t -> t.trace().id()).toList());
    ObjectNode n = PublicApiJson.session(s);
    ArrayNode list = n.putArray("traces");
    traces.forEach(t -> list.add(PublicApiJson.trace(t,
        ids.getOrDefault(t.trace().id(), List.of()))));
    return n;
  }
}
