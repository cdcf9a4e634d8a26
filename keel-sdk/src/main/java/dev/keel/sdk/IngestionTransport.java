package dev.keel.sdk;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/** Posts one batch to {@code /api/public/ingestion} and classifies the answer. */
final class IngestionTransport {

  /** What to do with a batch after one attempt. */
  enum Outcome { SENT, RETRY, FAILED }

  /** One attempt's result; {@code rejected} counts events the server refused one by one. */
  record Result(Outcome outcome, int rejected, Duration retryAfter) {
  }

  private final HttpClient http;
  private final URI uri;
  private final String authorization;
  private final String publicKey;
  private final Duration timeout;
  private final Warnings warnings;

  IngestionTransport(HttpClient http, ClientSettings settings, String authorization,
      Warnings warnings) {
    this.http = http;
    this.uri = URI.create(settings.base() + "/api/public/ingestion");
    this.authorization = authorization;
    this.publicKey = settings.publicKey();
    this.timeout = settings.requestTimeout();
    this.warnings = warnings;
  }

  Result post(byte[] body) throws InterruptedException {
    HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout)
        .header("authorization", authorization)
        .header("content-type", "application/json")
        .header("x-langfuse-sdk-name", KeelClient.SDK_NAME)
        .header("x-langfuse-sdk-version", KeelClient.SDK_VERSION)
        .header("x-langfuse-public-key", publicKey)
        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
    HttpResponse<String> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      warnings.once("io:" + e.getClass().getName(),
          "Keel ingestion at {} unreachable ({}); retrying with backoff", uri, e.toString());
      return new Result(Outcome.RETRY, 0, null);
    }
    return classify(response);
  }

  private Result classify(HttpResponse<String> response) {
    int status = response.statusCode();
    if (status >= 200 && status < 300) {
      return new Result(Outcome.SENT, rejectedEvents(response.body()), null);
    }
    if (status == 429 || status >= 500) {
      warnings.once("status:" + status, "Keel ingestion answered {}; retrying with backoff: {}",
          status, Warnings.truncate(response.body(), 300));
      return new Result(Outcome.RETRY, 0, retryAfter(response).orElse(null));
    }
    warnings.once("status:" + status,
        "Keel ingestion answered {}, so the batch is dropped (check the keys and base URL): {}",
        status, Warnings.truncate(response.body(), 300));
    return new Result(Outcome.FAILED, 0, null);
  }

  /** Reads a 207's per-event errors and warns once per kind (status and message). */
  private int rejectedEvents(String body) {
    JsonNode errors;
    try {
      errors = Json.MAPPER.readTree(body).path("errors");
    } catch (IOException | RuntimeException e) {
      return 0;
    }
    if (!errors.isArray()) {
      return 0;
    }
    for (JsonNode error : errors) {
      String kind = error.path("status").asText() + " " + error.path("message").asText();
      warnings.once("event:" + kind, "Keel rejected an event: {} {} (first of its kind; "
          + "later ones are counted in stats().rejected())", kind,
          Warnings.truncate(error.path("error").toString(), 300));
    }
    return errors.size();
  }

  private static Optional<Duration> retryAfter(HttpResponse<String> response) {
    return response.headers().firstValue("retry-after").flatMap(v -> {
      try {
        return Optional.of(Duration.ofSeconds(Long.parseLong(v.trim())));
      } catch (NumberFormatException e) {
        return Optional.empty();
      }
    });
  }
}
