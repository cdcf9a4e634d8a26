package dev.keel.server;

import dev.keel.core.error.ErrorCode;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The routes of last resort, registered after every feature's: a request no route took gets
 * 405 with an {@code allow} header when its path is served with other methods, else 404, each
 * in the error shape of the API the path belongs to (OpenAI's under {@code /v1}, Anthropic's on
 * {@code /v1/messages}, Langfuse's elsewhere), so SDKs parse it instead of choking on text.
 *
 * <p>Helidon cannot say which methods a path is routed for, so {@link #SERVED} lists them. A
 * path missing from it only loses the 405 (the answer is a 404); {@code FallbackRoutesIT}
 * checks that every method listed here is really served.
 */
final class FallbackRoutes {

  /** Every path Keel serves, with its methods. {@code {id}} is one segment, {@code **} many. */
  static final List<Served> SERVED = List.of(
      served("/v1/chat/completions", "POST"),
      served("/v1/messages", "POST"),
      served("/v1/embeddings", "POST"),
      served("/v1/models", "GET"),
      served("/v1/models/{id}", "GET"),
      served("/api/public/health", "GET"),
      served("/api/public/ready", "GET"),
      served("/api/public/ingestion", "POST"),
      served("/api/public/otel/v1/traces", "POST"),
      served("/api/public/otel/v1/metrics", "POST"),
      served("/api/public/traces", "GET", "DELETE"),
      served("/api/public/traces/{id}", "GET", "DELETE"),
      served("/api/public/observations", "GET"),
      served("/api/public/observations/{id}", "GET"),
      served("/api/public/metrics/daily", "GET"),
      served("/api/public/scores", "POST"),
      served("/api/public/scores/{id}", "GET", "DELETE"),
      served("/api/public/v2/scores", "GET"),
      served("/api/public/v2/scores/{id}", "GET"),
      served("/api/public/score-configs", "GET", "POST"),
      served("/api/public/score-configs/{id}", "GET"),
      served("/api/public/sessions", "GET"),
      served("/api/public/sessions/{id}", "GET"),
      served("/api/public/v2/prompts", "GET", "POST"),
      served("/api/public/v2/prompts/**", "GET", "PATCH"),
      served("/api/keel/prompts/**", "GET", "POST"),
      served("/api/keel/keys", "GET", "POST"),
      served("/api/keel/keys/{id}", "GET"),
      served("/api/keel/keys/{id}/rotate", "POST"),
      served("/api/keel/keys/{id}/revoke", "POST"),
      served("/api/keel/budgets", "GET", "PUT"),
      served("/api/keel/budgets/{id}", "GET", "DELETE"),
      served("/api/keel/reports/prompts/{id}", "GET"),
      served("/api/keel/reports/cost", "GET"),
      served("/api/keel/reports/routing", "GET"),
      served("/api/keel/online-eval/rules", "GET", "POST"),
      served("/api/keel/online-eval/rules/{id}", "GET", "PUT", "DELETE"),
      served("/api/keel/online-eval/rules/{id}/disable", "POST"),
      served("/api/keel/online-eval/rules/{id}/enable", "POST"),
      served("/api/keel/online-eval/results", "GET"),
      served("/metrics", "GET"));

  void register(HttpRouting.Builder routing) {
    routing.any(this::answer);
  }

  /** A served path and its methods. */
  record Served(String template, Pattern pattern, List<String> methods) {}

  /** The methods {@code path} is served with, if it is served at all. */
  static Optional<List<String>> methodsFor(String path) {
    return SERVED.stream().filter(s -> s.pattern().matcher(path).matches())
        .map(Served::methods).findFirst();
  }

  static HttpErrors.Shape shapeFor(String path) {
    if (path.equals("/v1/messages") || path.startsWith("/v1/messages/")) {
      return HttpErrors.Shape.ANTHROPIC;
    }
    return path.equals("/v1") || path.startsWith("/v1/") ? HttpErrors.Shape.OPENAI
        : HttpErrors.Shape.LANGFUSE;
  }

  private void answer(ServerRequest req, ServerResponse res) {
    String path = req.path().path();
    String method = req.prologue().method().text();
    if (browserAtRoot(req, path, method)) {
      res.status(Status.SEE_OTHER_303);
      res.header("location", "/ui");
      res.send();
      return;
    }
    Optional<List<String>> methods = methodsFor(path);
    HttpErrors.Rendered err;
    if (methods.isPresent()) {
      String allow = String.join(", ", methods.get());
      res.header("allow", allow);
      err = HttpErrors.render(shapeFor(path), ErrorCode.METHOD_NOT_ALLOWED,
          method + " is not allowed on " + path + "; it accepts " + allow, null);
    } else {
      err = HttpErrors.render(shapeFor(path), ErrorCode.NOT_FOUND, "no such endpoint: "
          + method + " " + path + hint(path), null);
    }
    res.status(Status.create(err.status()));
    res.header("content-type", "application/json");
    res.send(err.body());
  }

  /**
   * A browser opening Keel's address gets the web UI: a GET or HEAD of {@code /} that accepts
   * HTML. API clients (no text/html in Accept) keep the JSON 404.
   */
  private static boolean browserAtRoot(ServerRequest req, String path, String method) {
    if (!path.equals("/") || !(method.equals("GET") || method.equals("HEAD"))) {
      return false;
    }
    return req.headers().first(HeaderNames.ACCEPT)
        .map(a -> a.toLowerCase(java.util.Locale.ROOT).contains("text/html")).orElse(false);
  }

  private static String hint(String path) {
    if (path.startsWith("/v1/") || path.equals("/v1")) {
      return "; the gateway serves POST /v1/chat/completions, POST /v1/messages, "
          + "POST /v1/embeddings, GET /v1/models and GET /v1/models/{id}";
    }
    return path.startsWith("/api/") ? "" : "; see the README for the endpoints Keel serves";
  }

  private static Served served(String template, String... methods) {
    String regex = Pattern.quote(template).replace("{id}", "\\E[^/]+\\Q")
        .replace("/**", "\\E/.+\\Q");
    return new Served(template, Pattern.compile(regex), List.of(methods));
  }
}
