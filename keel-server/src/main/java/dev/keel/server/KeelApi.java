package dev.keel.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keel.core.error.ErrorCode;
import dev.keel.core.error.KeelException;
import dev.keel.gateway.auth.KeyService;
import dev.keel.gateway.auth.Principal;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.Optional;

/**
 * What Keel's own {@code /api/keel/*} routes share: master-key authentication (Bearer or
 * {@code x-api-key}), JSON answers, and errors in the {@code {"message", "error"}} shape.
 */
final class KeelApi {

  static final ObjectMapper JSON = new ObjectMapper()
      .enable(SerializationFeature.WRITE_BIGDECIMAL_AS_PLAIN)
      .configure(com.fasterxml.jackson.core.JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN,
          true);
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(KeelApi.class);

  private KeelApi() {}

  /** An answer: status and JSON body. */
  record Answer(Status status, JsonNode body) {
    static Answer ok(JsonNode body) {
      return new Answer(Status.OK_200, body);
    }
  }

  /** A route's work for an authenticated master-key caller. */
  @FunctionalInterface
  interface Handler {
    Answer handle(Principal p) throws Exception;
  }

  static void handle(ServerRequest req, ServerResponse res, KeyService keys, Handler h) {
    try {
      Answer a = h.handle(master(req, keys));
      res.status(a.status());
      res.header("content-type", "application/json");
      res.send(JSON.writeValueAsBytes(a.body()));
    } catch (KeelException e) {
      GatewayRoutes.sendError(res, HttpErrors.render(HttpErrors.Shape.LANGFUSE, e));
    } catch (IllegalArgumentException e) {
      GatewayRoutes.sendError(res, HttpErrors.render(HttpErrors.Shape.LANGFUSE,
          ErrorCode.INVALID_REQUEST, e.getMessage(), null));
    } catch (Exception e) {
      LOG.error("unexpected failure on {} {}: {}", req.prologue().method().text(),
          req.path().path(), e.toString(), e);
      GatewayRoutes.sendError(res, HttpErrors.render(HttpErrors.Shape.LANGFUSE,
          ErrorCode.INTERNAL, "internal error in Keel; the server log has the details", null));
    }
  }

  static ObjectNode body(ServerRequest req, long maxBytes) {
    return RequestBodies.object(RequestBodies.read(req, maxBytes));
  }

  static KeelException notFound(String what) {
    return new KeelException(ErrorCode.NOT_FOUND, what);
  }

  private static Principal master(ServerRequest req, KeyService keys) {
    Optional<String> apiKey = req.headers().first(HeaderNames.create("x-api-key"));
    Optional<String> auth = req.headers().first(HeaderNames.AUTHORIZATION);
    if (apiKey.isEmpty() && auth.isEmpty()) {
      throw new KeelException(ErrorCode.UNAUTHORIZED, "missing API key: send the master key as "
          + "'Authorization: Bearer <key>' or 'x-api-key: <key>'");
    }
    Principal p = (apiKey.isPresent() ? keys.authenticateKey(apiKey.get().strip())
        : keys.authenticateHeader(auth.get())).orElseThrow(
            () -> new KeelException(ErrorCode.UNAUTHORIZED, "invalid API key"));
    if (p.kind() != Principal.Kind.MASTER) {
      throw new KeelException(ErrorCode.FORBIDDEN, "/api/keel needs the master key");
    }
    return p;
  }
}
