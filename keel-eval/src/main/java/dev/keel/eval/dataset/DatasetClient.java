package dev.keel.eval.dataset;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keel.eval.EvalItem;
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
import java.util.Objects;

/**
 * Reads stored datasets from a running Keel over HTTP, through the Langfuse-compatible
 * {@code /api/public/v2/datasets/{name}} and {@code /api/public/dataset-items} (Keel adds the
 * integer {@code version} and the items' {@code contexts} to them). Archived items are left out.
 */
public final class DatasetClient {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int PAGE_SIZE = 100;

  private final URI base;
  private final String key;
  private final HttpClient http;

  /** A client of the Keel at {@code keelBaseUrl}, authenticating with {@code masterKey}. */
  public DatasetClient(URI keelBaseUrl, String masterKey) {
    Objects.requireNonNull(keelBaseUrl, "keelBaseUrl");
    this.key = Objects.requireNonNull(masterKey, "masterKey");
    String s = keelBaseUrl.toString();
    this.base = URI.create(s.endsWith("/") ? s.substring(0, s.length() - 1) : s);
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  }

  /**
   * The active items of dataset {@code datasetName} at {@code version} (null: the latest), in
   * the order they were first added.
   *
   * @throws NotFoundException when the dataset or version does not exist
   * @throws IllegalStateException when Keel fails or cannot be reached
   */
  public List<EvalItem> items(String datasetName, Integer version) {
    Objects.requireNonNull(datasetName, "datasetName");
    var out = new ArrayList<EvalItem>();
    for (int page = 1; ; page++) {
      String query = "datasetName=" + enc(datasetName) + "&page=" + page + "&limit=" + PAGE_SIZE
          + (version == null ? "" : "&version=" + version);
      JsonNode body = get("/api/public/dataset-items?" + query);
      for (JsonNode n : body.path("data")) {
        if (!"ARCHIVED".equals(n.path("status").asText())) {
          out.add(toItem(n));
        }
      }
      if (page >= body.path("meta").path("totalPages").asInt(0)) {
        return out;
      }
    }
  }

  /**
   * The latest version number of dataset {@code datasetName}: 0 when it has no items yet.
   *
   * @throws NotFoundException when the dataset does not exist
   * @throws IllegalStateException when Keel fails or cannot be reached
   */
  public int version(String datasetName) {
    Objects.requireNonNull(datasetName, "datasetName");
    return get("/api/public/v2/datasets/" + enc(datasetName)).path("version").asInt();
  }

  /** An item of the items API as an {@link EvalItem}. */
  public static EvalItem toItem(JsonNode n) {
    var contexts = new ArrayList<String>();
    n.path("contexts").forEach(c -> contexts.add(c.asText()));
    return new EvalItem(n.path("id").asText(), n.path("input"), nullIfNull(n.get("expectedOutput")),
        contexts, nullIfNull(n.get("metadata")));
  }

  private JsonNode get(String pathAndQuery) {
    HttpRequest req = HttpRequest.newBuilder(URI.create(base + pathAndQuery))
        .timeout(Duration.ofSeconds(60))
        .header("authorization", "Bearer " + key)
        .GET().build();
    try {
      HttpResponse<String> res = http.send(req, HttpResponse.BodyHandlers.ofString());
      if (res.statusCode() == 404) {
        throw new NotFoundException(message(res.body()));
      }
      if (res.statusCode() != 200) {
        throw new IllegalStateException("Keel answered " + res.statusCode() + " to GET "
            + pathAndQuery + ": " + message(res.body()));
      }
      return JSON.readTree(res.body());
    } catch (IOException e) {
      throw new IllegalStateException("cannot reach Keel at " + base + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while reading from Keel", e);
    }
  }

  private static String message(String body) {
    try {
      JsonNode n = JSON.readTree(body);
      String m = n.path("message").asText(body);
      JsonNode errors = n.path("errors");
      return errors.isArray() && !errors.isEmpty() ? m + ": " + errors.get(0).asText() : m;
    } catch (IOException e) {
      return body.length() > 200 ? body.substring(0, 200) + "..." : body;
    }
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private static JsonNode nullIfNull(JsonNode n) {
    return n == null || n.isNull() || n.isMissingNode() ? null : n;
  }

  /** Keel answered 404: the dataset (or the version asked for) does not exist. */
  public static final class NotFoundException extends IllegalStateException {
    NotFoundException(String message) {
      super(message);
    }
  }
}
