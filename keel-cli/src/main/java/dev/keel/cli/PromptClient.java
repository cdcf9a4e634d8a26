package dev.keel.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Keel's prompt API over HTTP, for {@code keel prompt}; works the same against a remote Keel. */
final class PromptClient {

  static final ObjectMapper JSON = new ObjectMapper();
  private static final int PAGE = 100;

  private final String baseUrl;
  private final String key;
  private final HttpClient http = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();

  PromptClient(String baseUrl, String key) {
    if (key == null || key.isBlank()) {
      throw new IllegalArgumentException("no key: set KEEL_MASTER_KEY or pass --key");
    }
    this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1)
        : baseUrl;
    this.key = key;
  }

  /** The version with {@code label}; empty when the prompt or label does not exist. */
  Optional<JsonNode> get(String name, String label) {
    HttpResponse<String> r = send("GET", "/api/public/v2/prompts/" + enc(name) + "?label="
        + enc(label), null);
    if (r.statusCode() == 404) {
      return Optional.empty();
    }
    return Optional.of(check(r));
  }

  JsonNode create(ObjectNode body) {
    return check(send("POST", "/api/public/v2/prompts", body));
  }

  /** Every prompt of the list endpoint, all pages. */
  List<JsonNode> list() {
    var out = new ArrayList<JsonNode>();
    for (int page = 1; ; page++) {
      JsonNode r = check(send("GET", "/api/public/v2/prompts?limit=" + PAGE + "&page=" + page,
          null));
      r.path("data").forEach(out::add);
      if (page >= r.path("meta").path("totalPages").asInt()) {
        return out;
      }
    }
  }

  /** Every version of a prompt, oldest first. */
  List<JsonNode> versions(String name) {
    var out = new ArrayList<JsonNode>();
    check(send("GET", "/api/keel/prompts/" + enc(name) + "/versions", null)).path("data")
        .forEach(out::add);
    return out;
  }

  JsonNode diff(String name, int from, int to) {
    return check(send("GET", "/api/keel/prompts/" + enc(name) + "/diff?from=" + from + "&to="
        + to, null));
  }

  JsonNode promote(String name, int version, String label) {
    ObjectNode body = JSON.createObjectNode().put("version", version).put("label", label);
    return check(send("POST", "/api/keel/prompts/" + enc(name) + "/promote", body));
  }

  JsonNode rollback(String name, String label) {
    return check(send("POST", "/api/keel/prompts/" + enc(name) + "/rollback",
        JSON.createObjectNode().put("label", label)));
  }

  private HttpResponse<String> send(String method, String path, JsonNode body) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl + path))
        .timeout(Duration.ofSeconds(30)).header("authorization", "Bearer " + key)
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body.toString()));
    if (body != null) {
      b.header("content-type", "application/json");
    }
    try {
      return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new IllegalStateException("cannot reach Keel at " + baseUrl + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private static JsonNode check(HttpResponse<String> r) {
    JsonNode body;
    try {
      body = JSON.readTree(r.body());
    } catch (IOException e) {
      throw new IllegalStateException("Keel answered " + r.statusCode() + " with non-JSON: "
          + cut(r.body()), e);
    }
    if (r.statusCode() >= 300) {
      throw new IllegalStateException("Keel answered " + r.statusCode() + ": "
          + body.path("message").asText(cut(r.body())));
    }
    return body;
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  private static String cut(String s) {
    return s.length() > 500 ? s.substring(0, 500) + "..." : s;
  }
}
