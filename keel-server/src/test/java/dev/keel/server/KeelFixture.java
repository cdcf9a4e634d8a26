package dev.keel.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keel.core.trace.Observation;
import dev.keel.gateway.auth.KeyService;
import dev.keel.store.TraceSummary;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * A real Keel for integration tests: loopback on a free port, SQLite in a temporary folder, the
 * built-in simulator as both providers, fixed keys, and a plain HTTP client.
 */
final class KeelFixture implements AutoCloseable {

  static final String MASTER_KEY = "sk-keel-itmaster0123456789abcdefghijklmnopqrstuv";
  static final String PUBLIC_KEY = "pk-lf-itpublic0123456789abcdefghijklmnopqrstuv";
  static final String SECRET_KEY = "sk-lf-itsecret0123456789abcdefghijklmnopqrstuv";
  static final String PROJECT = KeyService.DEFAULT_PROJECT;
  static final ObjectMapper JSON = new ObjectMapper();

  final KeelServer server;
  private final HttpClient http = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();

  private KeelFixture(KeelServer server) {
    this.server = server;
  }

  /** Starts Keel with no provider settings, so it routes to its built-in simulator. */
  static KeelFixture start(Path dir) {
    return start(dir, null);
  }

  /** As {@link #start(Path)}, with {@code yaml} (when not null) as keel.yaml. */
  static KeelFixture start(Path dir, String yaml) {
    Path config = null;
    if (yaml != null) {
      config = dir.resolve("keel.yaml");
      try {
        Files.writeString(config, yaml);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    Map<String, String> env = Map.of("KEEL_MASTER_KEY", MASTER_KEY,
        "KEEL_INIT_PROJECT_PUBLIC_KEY", PUBLIC_KEY, "KEEL_INIT_PROJECT_SECRET_KEY", SECRET_KEY);
    return new KeelFixture(KeelServer.start(
        new ServerSettings("127.0.0.1", 0, dir, null, config, env)));
  }

  String baseUrl() {
    return "http://127.0.0.1:" + server.port();
  }

  static String bearerMaster() {
    return "Bearer " + MASTER_KEY;
  }

  static String basicPair() {
    return "Basic " + Base64.getEncoder().encodeToString(
        (PUBLIC_KEY + ":" + SECRET_KEY).getBytes(StandardCharsets.UTF_8));
  }

  /** POSTs a UTF-8 body; {@code headers} are name, value pairs. */
  HttpResponse<String> post(String path, String body, String... headers) {
    return post(path, body.getBytes(StandardCharsets.UTF_8), headers);
  }

  HttpResponse<String> post(String path, byte[] body, String... headers) {
    return send(request(path, headers).POST(HttpRequest.BodyPublishers.ofByteArray(body)));
  }

  HttpResponse<String> get(String path, String... headers) {
    return send(request(path, headers).GET());
  }

  /** A chat completion as the master key, with the given extra headers. */
  HttpResponse<String> chat(String body, String... headers) {
    String[] all = new String[headers.length + 4];
    all[0] = "authorization";
    all[1] = bearerMaster();
    all[2] = "content-type";
    all[3] = "application/json";
    System.arraycopy(headers, 0, all, 4, headers.length);
    return post("/v1/chat/completions", body, all);
  }

  HttpRequest.Builder request(String path, String... headers) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl() + path))
        .timeout(Duration.ofSeconds(20));
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return b;
  }

  HttpResponse<String> send(HttpRequest.Builder request) {
    try {
      return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static JsonNode json(HttpResponse<String> response) {
    return json(response.body());
  }

  static JsonNode json(String text) {
    try {
      return JSON.readTree(text);
    } catch (IOException e) {
      throw new AssertionError("not JSON: " + text, e);
    }
  }

  /** The stored trace, after the queued ones are written. */
  TraceSummary trace(String traceId) {
    server.flushTraces();
    return server.store().traces().findTrace(PROJECT, traceId)
        .orElseThrow(() -> new AssertionError("no trace stored with id " + traceId));
  }

  /** The trace's observations, after the queued ones are written. */
  List<Observation> observations(String traceId) {
    server.flushTraces();
    return server.store().traces().observationsOf(PROJECT, traceId);
  }

  /** The one observation of a single-call trace. */
  Observation onlyObservation(String traceId) {
    List<Observation> all = observations(traceId);
    if (all.size() != 1) {
      throw new AssertionError("expected one observation in trace " + traceId + ": " + all);
    }
    return all.get(0);
  }

  @Override
  public void close() {
    server.close();
  }
}
