package dev.keel.server;

import dev.keel.core.error.ErrorCode;
import io.helidon.http.DirectHandler;
import io.helidon.http.HeaderNames;
import io.helidon.http.ServerResponseHeaders;
import io.helidon.http.Status;
import io.helidon.webserver.http.DirectHandlers;

/**
 * Errors Helidon answers itself, before any route runs (a request line over its limit is a 414,
 * a malformed request a 400): the same JSON error body as every other error, in the shape of
 * the API the path belongs to when the path is known, instead of an empty answer.
 */
final class DirectErrors {

  /** Helidon's default limit on the request line (its max-prologue-length). */
  static final int MAX_REQUEST_LINE = 4096;

  private DirectErrors() {}

  static DirectHandlers handlers() {
    DirectHandler json = DirectErrors::handle;
    DirectHandlers.Builder b = DirectHandlers.builder();
    for (DirectHandler.EventType t : DirectHandler.EventType.values()) {
      b.addHandler(t, json);
    }
    return b.build();
  }

  private static DirectHandler.TransportResponse handle(DirectHandler.TransportRequest req,
      DirectHandler.EventType event, Status status, ServerResponseHeaders headers,
      String message) {
    String path = req.path() == null ? "" : req.path();
    String text = switch (status.code()) {
      case 414 -> "request line too long: the method, path and query must fit in "
          + MAX_REQUEST_LINE + " bytes";
      case 431 -> "request headers too large";
      default -> message == null || message.isBlank() ? status.reasonPhrase() : message;
    };
    ErrorCode code = status.code() >= 500 ? ErrorCode.INTERNAL : ErrorCode.INVALID_REQUEST;
    HttpErrors.Rendered r = HttpErrors.render(FallbackRoutes.shapeFor(path), code, text, null);
    headers.set(HeaderNames.CONTENT_TYPE, "application/json");
    return DirectHandler.TransportResponse.builder().status(status).headers(headers)
        .keepAlive(event.keepAlive()).entity(r.body()).build();
  }
}
