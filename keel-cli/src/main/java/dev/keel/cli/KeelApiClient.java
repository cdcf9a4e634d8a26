package dev.keel.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import picocli.CommandLine.Option;

/**
 * Options and HTTP calls shared by the commands that talk to a running Keel's
 * {@code /api/keel} API with the master key.
 */
final class KeelApiClient {

  static final ObjectMapper JSON = new ObjectMapper();

  @Option(names = "--url", defaultValue = "http://127.0.0.1:4000",
      description = "the running Keel (default: ${DEFAULT-VALUE})")
  String url;

  @Option(names = "--key", defaultValue = "${env:KEEL_MASTER_KEY}",
      description = "the master key (default: $KEEL_MASTER_KEY)")
  String key;

  private final HttpClient http = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(5)).build();

  JsonNode get(String path) {
    return send(request(path).GET());
  }

  JsonNode post(String path, JsonNode body) {
    return send(request(path).POST(HttpRequest.BodyPublishers.ofString(
        body == null ? "" : body.toString())));
  }

  JsonNode put(String path, JsonNode body) {
    return send(request(path).PUT(HttpRequest.BodyPublishers.ofString(body.toString())));
  }

  private HttpRequest.Builder request(String path) {
    if (key == null || key.isBlank()) {
      throw new IllegalArgumentException("no master key: set KEEL_MASTER_KEY or pass --key");
    }
    return HttpRequest.newBuilder(URI.create(url.replaceAll("/+$", "") + path))
        .timeout(Duration.ofSeconds(30)).header("authorization", "Bearer " + key)
        .header("content-type", "application/json");
  }

  private JsonNode send(HttpRequest.Builder b) {
    HttpResponse<String> r;
    try {
      r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    } catch (ConnectException e) {
      throw new IllegalStateException("cannot reach Keel at " + url + "; is keel serve running?");
    } catch (IOException e) {
      throw new IllegalStateException("request to " + url + " failed: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
    JsonNode body;
    try {
      body = JSON.readTree(r.body());
    } catch (IOException e) {
      throw new IllegalStateException("Keel answered " + r.statusCode() + " with no JSON");
    }
    if (r.statusCode() >= 300) {
      throw new IllegalStateException(body.path("message").asText(r.body()) + " (HTTP "
          + r.statusCode() + ")");
    }
    return body;
  }
}
