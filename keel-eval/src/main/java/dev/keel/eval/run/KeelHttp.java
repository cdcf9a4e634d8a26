package dev.keel.eval.run;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Map;

/** JSON over HTTP to Keel (or a user's endpoint), with failures split into retryable or not. */
final class KeelHttp {

  private static final Duration TIMEOUT = Duration.ofSeconds(120);

  private final HttpClient http = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(5)).build();
  private final URI base;
  private final String key;

  KeelHttp(URI base, String key) {
    this.base = base;
    this.key = key;
  }

  URI base() {
    return base;
  }

  /** POSTs JSON to a path of Keel (or an absolute URL); returns the response when it is 2xx. */
  HttpResponse<String> post(String pathOrUrl, JsonNode body, Map<String, String> headers) {
    HttpRequest.Builder b = HttpRequest.newBuilder(resolve(pathOrUrl)).timeout(TIMEOUT)
        .header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body.toString()));
    return send(b, headers);
  }

  HttpResponse<String> get(String path) {
    return send(HttpRequest.newBuilder(resolve(path)).timeout(TIMEOUT).GET(), Map.of());
  }

  /**
   * GETs a path of Keel and returns the answer whatever its status; only a failure to reach
   * Keel throws ({@link Task.RetryableException}).
   */
  HttpResponse<String> exchange(String path) {
    HttpRequest.Builder b = HttpRequest.newBuilder(resolve(path)).timeout(TIMEOUT).GET();
    if (key != null) {
      b.header("authorization", "Bearer " + key);
    }
    return transfer(b.build());
  }

  static JsonNode json(HttpResponse<String> r) {
    try {
      return RunResults.JSON.readTree(r.body());
    } catch (IOException e) {
      throw new IllegalStateException(r.uri() + " answered " + r.statusCode()
          + " with no JSON");
    }
  }

  private URI resolve(String pathOrUrl) {
    return pathOrUrl.startsWith("http://") || pathOrUrl.startsWith("https://")
        ? URI.create(pathOrUrl)
        : URI.create(base.toString().replaceAll("/+$", "") + pathOrUrl);
  }

  private HttpResponse<String> send(HttpRequest.Builder b, Map<String, String> headers) {
    if (key != null) {
      b.header("authorization", "Bearer " + key);
    }
    headers.forEach(b::header);
    HttpRequest req = b.build();
    HttpResponse<String> r = transfer(req);
    int s = r.statusCode();
    if (s == 429 || s == 408 || s >= 500) {
      throw new Task.RetryableException(req.uri().getPath() + " answered " + s + ": "
          + abbreviate(r.body()), retryAfter(r));
    }
    if (s >= 300) {
      throw new IllegalStateException(req.uri().getPath() + " answered " + s + ": "
          + abbreviate(r.body()));
    }
    return r;
  }

  private HttpResponse<String> transfer(HttpRequest req) {
    try {
      return http.send(req, HttpResponse.BodyHandlers.ofString());
    } catch (HttpTimeoutException e) {
      throw new Task.RetryableException("timed out after " + TIMEOUT.toSeconds() + "s: "
          + req.uri(), 0);
    } catch (IOException e) {
      throw new Task.RetryableException("cannot reach " + req.uri() + ": " + e, 0);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private static long retryAfter(HttpResponse<String> r) {
    return r.headers().firstValue("retry-after").map(v -> {
      try {
        return (long) (Double.parseDouble(v) * 1000);
      } catch (NumberFormatException e) {
        return 0L;
      }
    }).orElse(0L);
  }

  static String abbreviate(String s) {
    if (s == null) {
      return "";
    }
    String one = s.replaceAll("\\s+", " ").strip();
    return one.length() <= 300 ? one : one.substring(0, 300) + "...";
  }
}
