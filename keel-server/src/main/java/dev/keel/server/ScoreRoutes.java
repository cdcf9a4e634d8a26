package dev.keel.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keel.core.error.ErrorCode;
import dev.keel.core.error.KeelException;
import dev.keel.core.trace.QueryTime;
import dev.keel.gateway.auth.Principal;
import dev.keel.store.Page;
import dev.keel.store.Score;
import dev.keel.store.ScoreConfig;
import dev.keel.store.ScoreQuery;
import dev.keel.store.TraceBatch;
import dev.keel.store.publicapi.PublicApiJson;
import dev.keel.tracing.score.ScoreService;
import io.helidon.http.Method;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

/**
 * Langfuse-compatible scores and score configs: {@code POST /api/public/scores} (a public key
 * alone may call it), {@code GET /api/public/v2/scores}, {@code GET/DELETE
 * /api/public/scores/{id}}, {@code POST/GET /api/public/score-configs[/{id}]}.
 */
final class ScoreRoutes {

  private final ServerContext ctx;
  private final ScoreService scores;

  ScoreRoutes(ServerContext ctx) {
    this.ctx = ctx;
    this.scores = new ScoreService(ctx.store().scores(), ctx.clock());
  }

  void register(HttpRouting.Builder r) {
    r.post("/api/public/scores", (req, res) -> IngestionRoutes.handle(res, () -> create(req)));
    r.get("/api/public/v2/scores", (req, res) -> IngestionRoutes.handle(res, () -> list(req)));
    // Matched raw: a score id may hold a slash, sent as %2F.
    r.route(Method.GET, RawPathPattern.of("/api/public/scores/{id}"), (req, res) ->
        IngestionRoutes.handle(res, () -> get(req)));
    r.route(Method.GET, RawPathPattern.of("/api/public/v2/scores/{id}"), (req, res) ->
        IngestionRoutes.handle(res, () -> get(req)));
    r.route(Method.DELETE, RawPathPattern.of("/api/public/scores/{id}"), (req, res) -> {
      try {
        Principal p = IngestionRoutes.principal(ctx, req, false);
        String id = req.path().pathParameters().get("id");
        if (!ctx.store().scores().delete(p.projectId(), id)) {
          throw new KeelException(ErrorCode.NOT_FOUND, "score not found: " + id);
        }
        res.status(204).send();
      } catch (KeelException e) {
        GatewayRoutes.sendError(res, HttpErrors.render(HttpErrors.Shape.LANGFUSE, e));
      }
    });
    r.post("/api/public/score-configs", (req, res) -> IngestionRoutes.handle(res, () -> {
      Principal p = IngestionRoutes.principal(ctx, req, false);
      ScoreConfig c = scores.createConfig(p.projectId(), IngestionRoutes.body(req,
          ctx.config().limits().maxBodyBytes()));
      return PublicApiJson.scoreConfig(c);
    }));
    r.get("/api/public/score-configs", (req, res) -> IngestionRoutes.handle(res, () -> {
      Principal p = IngestionRoutes.principal(ctx, req, false);
      var params = req.query().toMap();
      Page<ScoreConfig> page = ctx.store().scores().listConfigs(p.projectId(),
          PublicApiJson.page(params), PublicApiJson.limit(params));
      return PublicApiJson.page(page.items().stream().map(PublicApiJson::scoreConfig).toList(),
          page);
    }));
    r.get("/api/public/score-configs/{id}", (req, res) -> IngestionRoutes.handle(res, () -> {
      Principal p = IngestionRoutes.principal(ctx, req, false);
      String id = req.path().pathParameters().get("id");
      return PublicApiJson.scoreConfig(ctx.store().scores().findConfig(p.projectId(), id)
          .orElseThrow(() -> new KeelException(ErrorCode.NOT_FOUND,
              "score config not found: " + id)));
    }));
  }

  // Written through the trace writer, so a score shares group commit with ingestion.
  private ObjectNode create(ServerRequest req) {
    Principal p = IngestionRoutes.principal(ctx, req, true);
    Score s = scores.fromBody(p.projectId(), IngestionRoutes.body(req,
        ctx.config().limits().maxBodyBytes()), ctx.clock().instant());
    try {
      ctx.writer().submit(new TraceBatch(null, null, null, List.of(s)), Duration.ofSeconds(5))
          .get(60, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof KeelException k ? k
          : new KeelException(ErrorCode.INTERNAL, "the score could not be stored", null, e);
    } catch (TimeoutException | InterruptedException e) {
      throw new KeelException(ErrorCode.INTERNAL, "the score was not stored in time", null, e);
    }
    return IngestionRoutes.JSON.createObjectNode().put("id", s.id());
  }

  private ObjectNode get(ServerRequest req) {
    Principal p = IngestionRoutes.principal(ctx, req, false);
    String id = req.path().pathParameters().get("id");
    return PublicApiJson.score(ctx.store().scores().find(p.projectId(), id).orElseThrow(
        () -> new KeelException(ErrorCode.NOT_FOUND, "score not found: " + id)));
  }

  private ObjectNode list(ServerRequest req) {
    Principal p = IngestionRoutes.principal(ctx, req, false);
    Map<String, List<String>> q = req.query().toMap();
    String ids = one(q, "scoreIds");
    QueryTime.ordered("fromTimestamp", time(q, "fromTimestamp"), "toTimestamp",
        time(q, "toTimestamp"));
    var query = new ScoreQuery(p.projectId(), one(q, "traceId"), one(q, "observationId"),
        one(q, "sessionId"), one(q, "name"), one(q, "userId"),
        named(q, "source", Score.Source.class), named(q, "dataType", Score.DataType.class),
        one(q, "configId"), one(q, "environment"),
        ids == null ? null : List.of(ids.split(",")), time(q, "fromTimestamp"),
        time(q, "toTimestamp"), PublicApiJson.page(q), PublicApiJson.limit(q));
    Page<Score> page = ctx.store().scores().list(query);
    return PublicApiJson.page(page.items().stream().map(PublicApiJson::score).toList(), page);
  }

  static String one(Map<String, List<String>> q, String name) {
    List<String> v = q.get(name);
    return v == null || v.isEmpty() || v.get(0).isEmpty() ? null : v.get(0);
  }

  /** A parameter that must name a constant of {@code type}, as Langfuse spells them. */
  private static <E extends Enum<E>> String named(Map<String, List<String>> q, String name,
      Class<E> type) {
    String v = one(q, name);
    if (v != null && Arrays.stream(type.getEnumConstants()).noneMatch(e -> e.name().equals(v))) {
      throw new IllegalArgumentException(name + " must be one of "
          + Arrays.stream(type.getEnumConstants()).map(Enum::name)
              .collect(Collectors.joining(", ")) + ": " + v);
    }
    return v;
  }

  static Instant time(Map<String, List<String>> q, String name) {
    return QueryTime.parse(name, one(q, name));
  }
}
