package dev.keel.server;

import dev.keel.core.error.ErrorCode;
import dev.keel.core.error.KeelException;
import dev.keel.core.trace.Observation;
import dev.keel.core.trace.Trace;
import dev.keel.gateway.auth.Principal;
import dev.keel.store.TraceBatch;
import dev.keel.tracing.otel.OtelIngestor;
import dev.keel.tracing.otel.OtlpFormat;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * OpenTelemetry ingestion under {@code /api/public/otel}: OTLP/HTTP trace exports (protobuf or
 * JSON; gzip is inflated by {@link GzipRequests}) become traces and observations, answered once
 * committed. Metrics exports
 * are accepted and dropped, so exporters configured for both do not fail. Basic auth with the
 * project key pair or the master key as Bearer; a public key alone gets 403 (CONTRACTS.md).
 */
final class OtelRoutes {

  private static final Logger LOG = LoggerFactory.getLogger(OtelRoutes.class);
  // How long an export waits for room in the writer's queue (then 429, which exporters retry)
  // and for its transaction to commit.
  private static final Duration QUEUE_WAIT = Duration.ofSeconds(5);
  private static final Duration COMMIT_WAIT = Duration.ofSeconds(30);
  private final ServerContext ctx;
  private final OtelIngestor ingestor;
  private final long maxBodyBytes;

  OtelRoutes(ServerContext ctx) {
    this.ctx = ctx;
    this.ingestor = new OtelIngestor(ctx.pricer(), this::commit, ctx.clock());
    this.maxBodyBytes = ctx.config().limits().maxIngestionBodyBytes();
  }

  void register(HttpRouting.Builder r) {
    r.post("/api/public/otel/v1/traces", this::traces);
    r.post("/api/public/otel/v1/metrics", this::metrics);
  }

  private void traces(ServerRequest req, ServerResponse res) {
    try {
      Principal p = authorize(req);
      OtlpFormat format = format(req);
      OtelIngestor.Result result = ingestor.ingest(p.projectId(), limited(req), format);
      if (!result.warnings().isEmpty()) {
        LOG.debug("OTLP export stored with warnings: {}", result.warnings());
      }
      send(res, format, OtelIngestor.response(result, format));
    } catch (KeelException e) {
      GatewayRoutes.sendError(res, HttpErrors.render(HttpErrors.Shape.LANGFUSE, e));
    }
  }

  private void metrics(ServerRequest req, ServerResponse res) {
    try {
      authorize(req);
      OtlpFormat format = format(req);
      limited(req);
      send(res, format, format == OtlpFormat.JSON
          ? "{\"message\":\"OK\"}".getBytes(StandardCharsets.UTF_8) : new byte[0]);
    } catch (KeelException e) {
      GatewayRoutes.sendError(res, HttpErrors.render(HttpErrors.Shape.LANGFUSE, e));
    }
  }

  // Through the trace writer's group commit: concurrent exports share transactions, and the
  // answer waits for the one holding this export.
  private void commit(List<Trace> traces, List<Observation> observations) {
    try {
      ctx.writer().submit(TraceBatch.of(traces, observations), QUEUE_WAIT)
          .get(COMMIT_WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof KeelException k) {
        throw k;
      }
      throw new KeelException(ErrorCode.INTERNAL, "the spans could not be stored", null,
          e.getCause());
    } catch (TimeoutException e) {
      throw new KeelException(ErrorCode.RATE_LIMITED, "the store did not commit the spans within "
          + COMMIT_WAIT.toSeconds() + " s; retry later");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KeelException(ErrorCode.INTERNAL, "interrupted while storing the spans");
    }
  }

  private Principal authorize(ServerRequest req) {
    Optional<String> auth = req.headers().first(HeaderNames.AUTHORIZATION);
    if (auth.isEmpty()) {
      throw new KeelException(ErrorCode.UNAUTHORIZED, "missing credentials: send Basic auth "
          + "with the project's public and secret key, or 'Authorization: Bearer <master key>'");
    }
    Principal p = ctx.keys().authenticateHeader(auth.get()).orElseThrow(
        () -> new KeelException(ErrorCode.UNAUTHORIZED, "invalid credentials"));
    if (p.kind() != Principal.Kind.MASTER && p.kind() != Principal.Kind.PROJECT_PAIR) {
      throw new KeelException(ErrorCode.FORBIDDEN, "this key may not send OpenTelemetry data;"
          + " use Basic auth with the project's public and secret key, or the master key");
    }
    return p;
  }

  private static OtlpFormat format(ServerRequest req) {
    Optional<String> type = req.headers().first(HeaderNames.CONTENT_TYPE);
    return OtlpFormat.fromContentType(type.orElse(null)).orElseThrow(() -> new KeelException(
        ErrorCode.INVALID_REQUEST, "Invalid content type: " + type.orElse("(none)")
        + "; send application/x-protobuf or application/json"));
  }

  // The limit counts inflated bytes: a gzip body is read through its decoder.
  private byte[] limited(ServerRequest req) {
    try {
      return RequestBodies.read(req, maxBodyBytes);
    } catch (KeelException e) {
      if (e.code() != ErrorCode.BODY_TOO_LARGE) {
        throw e;
      }
      throw new KeelException(ErrorCode.BODY_TOO_LARGE, "request body is larger than the limit"
          + " of " + maxBodyBytes + " bytes (limits.max_ingestion_body_bytes in keel.yaml);"
          + " export smaller batches");
    }
  }

  private static void send(ServerResponse res, OtlpFormat format, byte[] body) {
    res.status(Status.OK_200);
    res.header("content-type", format.mediaType());
    res.send(body);
  }
}
