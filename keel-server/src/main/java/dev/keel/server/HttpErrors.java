package dev.keel.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keel.core.error.ErrorCode;
import dev.keel.core.error.KeelException;
import dev.keel.core.error.LimitExceededException;
import java.util.Map;
import dev.keel.providers.UpstreamException;

/**
 * Renders errors in the shape each API's clients parse: OpenAI's on the OpenAI routes,
 * Anthropic's on {@code /v1/messages}, Langfuse's on {@code /api/public}. Upstream failures are
 * mapped to a status here, in one place.
 */
final class HttpErrors {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Which shape to render. */
  enum Shape { OPENAI, ANTHROPIC, LANGFUSE }

  /** A rendered error: status, body, for rate limits seconds to wait, and extra headers. */
  record Rendered(int status, byte[] body, Long retryAfterSeconds, Map<String, String> headers) {

    Rendered(int status, byte[] body, Long retryAfterSeconds) {
      this(status, body, retryAfterSeconds, Map.of());
    }
  }

  private HttpErrors() {}

  static Rendered render(Shape shape, KeelException e) {
    int status = status(e);
    String message = e.getMessage() == null ? e.code().name() : e.getMessage();
    Long retryAfter = null;
    String code = e.code().name().toLowerCase();
    if (e instanceof UpstreamException u) {
      code = switch (u.kind()) {
        case CONTEXT_WINDOW -> "context_length_exceeded";
        case CONTENT_POLICY -> "content_policy_violation";
        case RATE_LIMIT -> "rate_limit_exceeded";
        case TIMEOUT -> "upstream_timeout";
        default -> "upstream_" + u.kind().name().toLowerCase();
      };
      if (u.retryAfter() != null) {
        retryAfter = Math.max(1, (u.retryAfter().toMillis() + 999) / 1000);
      }
    }
    Map<String, String> headers = Map.of();
    if (e instanceof LimitExceededException limit) {
      retryAfter = limit.retryAfterSeconds();
      headers = limit.headers();
    }
    return new Rendered(status, body(shape, status, typeFor(shape, e.code(), status), code,
        e.param(), message), retryAfter, headers);
  }

  static Rendered render(Shape shape, ErrorCode code, String message, String param) {
    return render(shape, new KeelException(code, message, param, null));
  }

  static int status(KeelException e) {
    if (e instanceof UpstreamException u) {
      return switch (u.kind()) {
        case RATE_LIMIT -> 429;
        case TIMEOUT -> 504;
        case BAD_REQUEST, CONTEXT_WINDOW, CONTENT_POLICY -> 400;
        case NOT_FOUND -> 404;
        default -> 502;
      };
    }
    return e.code().httpStatus();
  }

  private static String typeFor(Shape shape, ErrorCode code, int status) {
    if (shape != Shape.ANTHROPIC) {
      return status == 400 ? "invalid_request_error" : code.type();
    }
    return switch (status) {
      case 400 -> "invalid_request_error";
      case 401 -> "authentication_error";
      case 403 -> "permission_error";
      case 404 -> "not_found_error";
      case 405 -> "invalid_request_error";
      case 413 -> "request_too_large";
      case 429 -> "rate_limit_error";
      case 504 -> "timeout_error";
      default -> "api_error";
    };
  }

  private static byte[] body(Shape shape, int status, String type, String code, String param,
      String message) {
    ObjectNode root = JSON.createObjectNode();
    switch (shape) {
      case OPENAI -> {
        ObjectNode err = root.putObject("error").put("message", message).put("type", type)
            .put("code", code);
        if (param == null) {
          err.putNull("param");
        } else {
          err.put("param", param);
        }
      }
      case ANTHROPIC -> {
        root.put("type", "error");
        root.putObject("error").put("type", type).put("message", message);
      }
      case LANGFUSE -> root.put("message", message).put("error", type);
      default -> throw new IllegalStateException("unknown shape " + shape);
    }
    return root.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }
}
