package dev.keel.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keel.sdk.KeelClient;
import dev.keel.server.KeelServer;
import dev.keel.server.ServerSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;

/**
 * A real Keel for agent tests: loopback, a free port, SQLite in a temporary folder, the built-in
 * simulator as provider, and an SDK client recording into it.
 */
final class KeelHarness implements AutoCloseable {

  static final String MASTER_KEY = "sk-keel-agentit0123456789abcdefghijklmnopqrstu";
  static final String PUBLIC_KEY = "pk-lf-agentit0123456789abcdefghijklmnopqrstuv";
  static final String SECRET_KEY = "sk-lf-agentit0123456789abcdefghijklmnopqrstuv";
  private static final ObjectMapper JSON = new ObjectMapper();

  final KeelServer server;
  final KeelClient keel;
  private final HttpClient http = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1).build();

  KeelHarness(Path dir) {
    server = KeelServer.start(new ServerSettings("127.0.0.1", 0, dir, null, null, Map.of(
        "KEEL_MASTER_KEY", MASTER_KEY, "KEEL_INIT_PROJECT_PUBLIC_KEY", PUBLIC_KEY,
        "KEEL_INIT_PROJECT_SECRET_KEY", SECRET_KEY)));
    keel = KeelClient.builder().baseUrl(baseUrl()).publicKey(PUBLIC_KEY).secretKey(SECRET_KEY)
        .flushInterval(Duration.ofMillis(100)).shutdownHook(false).build();
  }

  String baseUrl() {
    return "http://127.0.0.1:" + server.port();
  }

  Agent.Builder agent(String name, String model) {
    return Agent.builder(name).keel(keel).gateway(URI.create(baseUrl()), MASTER_KEY)
        .model(model);
  }

  /** GET /api/public/traces/{id} once the SDK and the trace writer have delivered. */
  JsonNode trace(String traceId) {
    keel.flush(Duration.ofSeconds(10));
    server.flushTraces();
    HttpRequest r = HttpRequest.newBuilder(URI.create(baseUrl() + "/api/public/traces/"
        + traceId)).header("authorization", "Basic " + Base64.getEncoder().encodeToString(
            (PUBLIC_KEY + ":" + SECRET_KEY).getBytes(StandardCharsets.UTF_8))).GET().build();
    try {
      HttpResponse<String> response = http.send(r, HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        throw new AssertionError("trace " + traceId + ": " + response.statusCode() + " "
            + response.body());
      }
      return JSON.readTree(response.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The trace's observations of one type whose parent is {@code parentId}. */
  static List<JsonNode> children(JsonNode trace, String parentId, String type) {
    return StreamSupport.stream(trace.path("observations").spliterator(), false)
        .filter(o -> o.path("type").asText().equals(type))
        .filter(o -> parentId.equals(o.path("parentObservationId").asText(null)))
        .toList();
  }

  static JsonNode observation(JsonNode trace, String id) {
    return StreamSupport.stream(trace.path("observations").spliterator(), false)
        .filter(o -> o.path("id").asText().equals(id)).findFirst()
        .orElseThrow(() -> new AssertionError("no observation " + id + " in " + trace));
  }

  @Override
  public void close() {
    keel.close();
    server.close();
  }
}
