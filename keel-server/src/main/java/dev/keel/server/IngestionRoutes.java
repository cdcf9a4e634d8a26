package dev.keel.server;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keel.core.error.ErrorCode;
import dev.keel.core.error.KeelException;
import dev.keel.gateway.auth.Principal;
import dev.keel.tracing.ingest.IngestionResult;
import dev.keel.tracing.ingest.IngestionService;
import dev.keel.tracing.ingest.InvalidEvent;
import dev.keel.tracing.retention.RetentionJob;
import dev.keel.tracing.score.ScoreService;
import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Langfuse batch ingestion ({@code POST /api/public/ingestion}, answered with 207 once the
 * batch is committed), trace deletion ({@code DELETE /api/public/traces[/{id}]}) and the
 * retention job when {@code retention.days} is set. Auth per CONTRACTS.md: Basic pk:sk or the
 * master key; a public key alone may ingest scores only (other events get a per-event 401).
 */
final class IngestionRoutes {

  private static final String INGESTION_LIMIT = "limits.max_ingestion_body_bytes";

  static final ObjectMapper JSON = new ObjectMapper()
      .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
  // A request waits this long for room in the writer's queue before it gets a 429.
  private static final Duration QUEUE_WAIT = Duration.ofSeconds(5);
  private static final long COMMIT_TIMEOUT_SECONDS = 60;
  private static final Duration RETENTION_INTERVAL = Duration.ofHours(1);

  private final ServerContext ctx;
  private final IngestionService ingestion;
  private final long maxBodyBytes;

  IngestionRoutes(ServerContext ctx) {
    this.ctx = ctx;
    var scores = new ScoreService(ctx.store().scores(), ctx.clock());
    this.ingestion = new IngestionService(ctx.writer(), ctx.pricer(), scores, ctx.clock(),
        QUEUE_WAIT);
    this.maxBodyBytes = ctx.config().limits().maxIngestionBodyBytes();
  }

  void register(HttpRouting.Builder r) {
    r.post("/api/public/ingestion", this::ingest);
    r.route(Method.DELETE, RawPathPattern.of("/api/public/traces/{id}"), (req, res) ->
        handle(res, () -> deleteTrace(req)));
    r.delete("/api/public/traces", (req, res) -> handle(res, () -> {
      Principal p = principal(ctx, req, false);
      List<String> ids = traceIds(body(req, maxBodyBytes, INGESTION_LIMIT));
      int n = ctx.store().traces().delete(p.projectId(), ids);
      return JSON.createObjectNode().put("message", "Traces deleted successfully")
          .put("deleted", n);
    }));
    // Always scheduled: an admin may set retention at run time (web UI Settings), which wins
    // over keel.yaml's retention.days; each run reads the period afresh.
    Integer days = ctx.config().retention().days();
    r.register(new RetentionService(new RetentionJob(ctx.store().traces(),
        () -> ctx.store().settings().retentionDays(days).map(Duration::ofDays), ctx.clock())));
  }

  private ObjectNode deleteTrace(ServerRequest req) {
    Principal p = principal(ctx, req, false);
    String id = req.path().pathParameters().get("id");
    if (ctx.store().traces().delete(p.projectId(), List.of(id)) == 0) {
      throw new KeelException(ErrorCode.NOT_FOUND, "trace not found: " + id);
    }
    return JSON.createObjectNode().put("message", "Trace deleted successfully");
  }

  private void ingest(ServerRequest req, ServerResponse res) {
    try {
      Principal p = principal(ctx, req, true);
      JsonNode body = body(req, maxBodyBytes, INGESTION_LIMIT);
      IngestionResult result = ingestion.ingest(p.projectId(),
          p.kind() == Principal.Kind.PUBLIC_KEY_ONLY, body)
          .get(COMMIT_TIMEOUT_SECONDS, TimeUnit.SECONDS);
      send(res, 207, result.toJson());
    } catch (InvalidEvent e) {
      send(res, 400, invalid(e.getMessage()));
    } catch (ExecutionException e) {
      GatewayRoutes.sendError(res, HttpErrors.render(HttpErrors.Shape.LANGFUSE,
          e.getCause() instanceof KeelException k ? k : new KeelException(ErrorCode.INTERNAL,
              "the batch could not be stored; retry it", null, e.getCause())));
    } catch (TimeoutException e) {
      GatewayRoutes.sendError(res, HttpErrors.render(HttpErrors.Shape.LANGFUSE,
          ErrorCode.INTERNAL, "the store did not commit the batch in time; retry it", null));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (KeelException e) {
      GatewayRoutes.sendError(res, HttpErrors.render(HttpErrors.Shape.LANGFUSE, e));
    }
  }

  /** A handler body that answers 200 with JSON. */
  interface Json {
    ObjectNode get();
  }

  /** Runs {@code h} and renders its errors in Langfuse's shape. */
  static void handle(ServerResponse res, Json h) {
    try {
      send(res, 200, h.get());
    } catch (InvalidEvent e) {
      send(res, e.status(), e.status() == 400 ? invalid(e.getMessage())
          : JSON.createObjectNode().put("message", e.getMessage()));
    } catch (IllegalArgumentException e) {
      send(res, 400, invalid(e.getMessage()));
    } catch (KeelException e) {
      GatewayRoutes.sendError(res, HttpErrors.render(HttpErrors.Shape.LANGFUSE, e));
    }
  }

  /**
   * The caller, or 401; 403 for virtual keys, and for a public key alone unless
   * {@code publicKeyAllowed}.
   */
  static Principal principal(ServerContext ctx, ServerRequest req, boolean publicKeyAllowed) {
    Optional<String> auth = req.headers().first(HeaderNames.AUTHORIZATION);
    if (auth.isEmpty()) {
      throw new KeelException(ErrorCode.UNAUTHORIZED, "missing credentials: send Basic auth "
          + "with the project's public and secret key, or 'Authorization: Bearer <master key>'");
    }
    Principal p = ctx.keys().authenticateHeader(auth.get()).orElseThrow(
        () -> new KeelException(ErrorCode.UNAUTHORIZED, "invalid credentials"));
    boolean allowed = p.kind() == Principal.Kind.MASTER
        || p.kind() == Principal.Kind.PROJECT_PAIR
        || (publicKeyAllowed && p.kind() == Principal.Kind.PUBLIC_KEY_ONLY);
    if (!allowed) {
      throw new KeelException(ErrorCode.FORBIDDEN, "this key may not call this endpoint; use "
          + "Basic auth with the project's public and secret key, or the master key");
    }
    return p;
  }

  /** The body as JSON within {@code limit} bytes: 413 over it, 400 when not JSON. */
  static JsonNode body(ServerRequest req, long limit) {
    return body(req, limit, "limits.max_body_bytes");
  }

  /** As {@link #body(ServerRequest, long)}, the 413 naming {@code setting}. */
  static JsonNode body(ServerRequest req, long limit, String setting) {
    byte[] bytes = RequestBodies.read(req, limit, setting);
    try {
      JsonNode n = JSON.readTree(bytes);
      if (n == null || n.isMissingNode()) {
        throw InvalidEvent.badRequest("the body is empty; expected a JSON object");
      }
      return n;
    } catch (IOException e) {
      throw InvalidEvent.badRequest("the body is not valid JSON: " + firstLine(e.getMessage()));
    }
  }

  /** Langfuse's 400: {@code {"message": "Invalid request data", "errors": [detail]}}. */
  static ObjectNode invalid(String detail) {
    ObjectNode n = JSON.createObjectNode().put("message", "Invalid request data");
    n.putArray("errors").add(detail);
    return n;
  }

  static void send(ServerResponse res, int status, ObjectNode body) {
    try {
      res.status(Status.create(status));
      res.header("content-type", "application/json");
      res.send(JSON.writeValueAsBytes(body));
    } catch (IOException e) {
      throw new KeelException(ErrorCode.INTERNAL, "could not render JSON", null, e);
    }
  }

  private static List<String> traceIds(JsonNode body) {
    JsonNode ids = body.get("traceIds");
    if (ids == null || !ids.isArray() || ids.isEmpty()) {
      throw InvalidEvent.badRequest("traceIds must be a non-empty array of trace ids");
    }
    var out = new ArrayList<String>();
    for (JsonNode id : ids) {
      if (!id.isTextual()) {
        throw InvalidEvent.badRequest("traceIds must hold strings only");
      }
      out.add(id.asText());
    }
    return out;
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "syntax error";
    }
    int nl = s.indexOf('\n');
    String line = nl < 0 ? s : s.substring(0, nl);
    return line.length() > 200 ? line.substring(0, 200) + "..." : line;
  }

  /** Starts the retention job with the server and stops it when the server stops. */
  private record RetentionService(RetentionJob job) implements HttpService {
    @Override
    public void routing(HttpRules rules) {
    }

    @Override
    public void beforeStart() {
      job.start(RETENTION_INTERVAL);
    }

    @Override
    public void afterStop() {
      job.close();
    }
  }
}
