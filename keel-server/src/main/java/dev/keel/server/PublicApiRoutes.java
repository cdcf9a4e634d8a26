package dev.keel.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keel.core.error.ErrorCode;
import dev.keel.core.error.KeelException;
import dev.keel.gateway.auth.KeyService;
import dev.keel.gateway.auth.Principal;
import dev.keel.gateway.metrics.Metrics;
import dev.keel.store.Page;
import dev.keel.store.Store;
import dev.keel.store.TraceSummary;
import dev.keel.store.publicapi.PublicApiJson;
import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Langfuse-compatible reads under {@code /api/public} (traces, observations, daily metrics,
 * health) and the Prometheus {@code /metrics}. Basic auth with the project key pair, or the master
 * key as Bearer (CONTRACTS.md).
 */
final class PublicApiRoutes {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String VERSION = "0.1.0";
  private static final Logger log = LoggerFactory.getLogger(PublicApiRoutes.class);

  private final Store store;
  private final KeyService keys;
  private final Metrics metrics;

  PublicApiRoutes(Store store, KeyService keys, Metrics metrics) {
    this.store = store;
    this.keys = keys;
    this.metrics = metrics;
  }

  void register(HttpRouting.Builder r) {
    r.get("/api/public/health", (req, res) -> json(res, JSON.createObjectNode()
        .put("status", "OK").put("version", VERSION)));
    r.get("/api/public/ready", (req, res) -> json(res, JSON.createObjectNode()
        .put("status", "OK").put("version", VERSION)));
    r.get("/api/public/traces", (req, res) -> guarded(req, res, p -> {
      Page<TraceSummary> page = store.traces().listTraces(
          PublicApiJson.traceQuery(p.projectId(), req.query().toMap()));
      var ids = store.traces().observationIds(p.projectId(),
          page.items().stream().map(t -> t.trace().id()).toList());
      var scores = store.scores().scoresOfTraces(p.projectId(),
          page.items().stream().map(t -> t.trace().id()).toList());
      List<ObjectNode> data = page.items().stream().map(t -> PublicApiJson.trace(t,
          ids.getOrDefault(t.trace().id(), List.of()),
          scores.getOrDefault(t.trace().id(), List.of()))).toList();
      return PublicApiJson.page(data, page);
    }));
    r.route(Method.GET, RawPathPattern.of("/api/public/traces/{id}"), (req, res) ->
        guarded(req, res, p -> trace(p, req.path().pathParameters().get("id"))));
    r.get("/api/public/observations", (req, res) -> guarded(req, res, p -> {
      var page = store.traces().listObservations(
          PublicApiJson.observationQuery(p.projectId(), req.query().toMap()));
      return PublicApiJson.page(page.items().stream().map(PublicApiJson::observation).toList(),
          page);
    }));
    // Matched raw: an observation id may hold a slash, sent as %2F.
    r.route(Method.GET, RawPathPattern.of("/api/public/observations/{id}"), (req, res) ->
        guarded(req, res, p -> {
          String id = req.path().pathParameters().get("id");
          return PublicApiJson.observation(store.traces().findObservation(p.projectId(), id)
              .orElseThrow(() -> new KeelException(ErrorCode.NOT_FOUND,
                  "observation not found: " + id)));
        }));
    r.get("/api/public/metrics/daily", (req, res) -> guarded(req, res, p ->
        PublicApiJson.daily(store.traces().daily(
            PublicApiJson.dailyQuery(p.projectId(), req.query().toMap())))));
    r.get("/metrics", (req, res) -> {
      try {
        Principal p = principal(req);
        if (p.kind() != Principal.Kind.MASTER) {
          throw new KeelException(ErrorCode.FORBIDDEN, "/metrics needs the master key");
        }
        res.header("content-type", "text/plain; version=0.0.4; charset=utf-8");
        res.send(metrics.render().getBytes(StandardCharsets.UTF_8));
      } catch (KeelException e) {
        GatewayRoutes.sendError(res, HttpErrors.render(HttpErrors.Shape.LANGFUSE, e));
      }
    });
  }

  private ObjectNode trace(Principal p, String id) {
    TraceSummary t = store.traces().findTrace(p.projectId(), id).orElseThrow(
        () -> new KeelException(ErrorCode.NOT_FOUND, "trace not found: " + id));
    return PublicApiJson.traceWithObservations(t,
        store.traces().observationsOf(p.projectId(), id),
        store.scores().scoresOfTraces(p.projectId(), List.of(id)).getOrDefault(id, List.of()));
  }

  private interface Handler {
    ObjectNode handle(Principal p);
  }

  private void guarded(ServerRequest req, ServerResponse res, Handler h) {
    try {
      Principal p = principal(req);
      if (p.kind() != Principal.Kind.MASTER && p.kind() != Principal.Kind.PROJECT_PAIR) {
        throw new KeelException(ErrorCode.FORBIDDEN, "this key may not read the public API; use"
            + " Basic auth with the project's public and secret key, or the master key");
      }
      json(res, h.handle(p));
    } catch (IllegalArgumentException e) {
      GatewayRoutes.sendError(res, HttpErrors.render(HttpErrors.Shape.LANGFUSE,
          ErrorCode.INVALID_REQUEST, e.getMessage(), null));
    } catch (KeelException e) {
      GatewayRoutes.sendError(res, HttpErrors.render(HttpErrors.Shape.LANGFUSE, e));
    } catch (RuntimeException e) {
      // Without this a failure nobody foresaw reached Helidon, whose 500 is plain text.
      log.error("GET {} failed", req.path().path(), e);
      GatewayRoutes.sendError(res, HttpErrors.render(HttpErrors.Shape.LANGFUSE,
          ErrorCode.INTERNAL, "internal error in Keel; the server log has the details", null));
    }
  }

  private Principal principal(ServerRequest req) {
    Optional<String> auth = req.headers().first(HeaderNames.AUTHORIZATION);
    if (auth.isEmpty()) {
      throw new KeelException(ErrorCode.UNAUTHORIZED, "missing credentials: send Basic auth "
          + "with the project's public and secret key, or 'Authorization: Bearer <master key>'");
    }
    return keys.authenticateHeader(auth.get()).orElseThrow(
        () -> new KeelException(ErrorCode.UNAUTHORIZED, "invalid credentials"));
  }

  private static void json(ServerResponse res, ObjectNode body) {
    try {
      res.status(Status.OK_200);
      res.header("content-type", "application/json");
      res.send(JSON.writeValueAsBytes(body));
    } catch (IOException e) {
      throw new KeelException(ErrorCode.INTERNAL, "could not render JSON", null, e);
    }
  }
}
