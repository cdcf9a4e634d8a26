package dev.keel.providers;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keel.providers.UpstreamException.Kind;
import io.helidon.http.HeaderNames;
import io.helidon.webclient.api.HttpClientRequest;
import io.helidon.webclient.api.HttpClientResponse;
import io.helidon.webclient.api.WebClient;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Sends requests to upstream providers over HTTP/1.1 and classifies every failure as an
 * {@link UpstreamException}. Blocking calls, meant to run on virtual threads; thread-safe and
 * shared (one pooled keep-alive client for the whole process).
 *
 * <p>It runs on Helidon's WebClient rather than the JDK's {@code HttpClient}: the JDK client hands
 * every exchange to its selector thread and back, which measured about a quarter slower here and
 * cannot put a timeout on a read of a streamed body. Here the calling (virtual) thread does the
 * socket work itself, and the endpoint timeout is the socket read timeout: it bounds the wait for
 * the response headers and then every read, streams included.
 *
 * <p>Authentication comes only from {@link Endpoint#apiKey()}: OpenAI gets
 * {@code Authorization: Bearer}, Anthropic {@code x-api-key} and an {@code anthropic-version}
 * (2023-06-01 unless the endpoint's extra headers carry the client's). Credentials and
 * hop-by-hop headers in extra headers are not forwarded.
 */
public final class ProviderClient {

  static final String ANTHROPIC_VERSION = "2023-06-01";
  private static final int MAX_ERROR_BODY_BYTES = 64 * 1024;
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
  private static final Set<String> NOT_FORWARDED = Set.of("authorization", "x-api-key",
      "connection", "content-length", "expect", "host", "upgrade", "keep-alive",
      "transfer-encoding", "te", "trailer", "proxy-authorization");
  private static final WebClient SHARED = WebClient.builder()
      .followRedirects(false)
      .connectTimeout(CONNECT_TIMEOUT)
      .maxInMemoryEntity(64 * 1024 * 1024)
      .build();

  private final WebClient http;

  /** A client on the process-wide shared connection pool. */
  public ProviderClient() {
    this.http = SHARED;
  }

  /**
   * POSTs {@code body} and returns the whole 2xx answer, parsed and checked to be JSON.
   */
  public UpstreamResponse send(Endpoint e, String path, byte[] body) throws UpstreamException {
    try (HttpClientResponse resp = request(e, path, false).submit(body)) {
      int status = resp.status().code();
      byte[] bytes = readAll(e, resp);
      Map<String, List<String>> headers = resp.headers().toMap();
      if (status / 100 != 2) {
        throw ErrorClassifier.ofStatus(e, status, lowerCase(headers), bytes);
      }
      JsonNode json;
      try {
        json = Json.MAPPER.readTree(bytes);
      } catch (IOException notJson) {
        json = null;
      }
      if (json == null || json.isMissingNode()) {
        throw new UpstreamException(Kind.MALFORMED_RESPONSE, e.provider(), status, null,
            ErrorClassifier.truncate(new String(bytes, StandardCharsets.UTF_8),
                ErrorClassifier.MAX_BODY_CHARS),
            e.provider() + " returned HTTP " + status + " with a body that is not JSON", null);
      }
      return new UpstreamResponse(status, lowerCase(headers), bytes, json);
    } catch (RuntimeException failed) {
      throw failed instanceof UpstreamException u ? u : transportFailure(e, failed);
    }
  }

  /**
   * POSTs {@code body} and opens the 2xx event stream. The endpoint timeout bounds the wait for
   * response headers and then each read.
   */
  public UpstreamStream stream(Endpoint e, String path, byte[] body) throws UpstreamException {
    HttpClientResponse resp;
    try {
      resp = request(e, path, true).submit(body);
    } catch (RuntimeException failed) {
      throw transportFailure(e, failed);
    }
    int status = resp.status().code();
    Map<String, List<String>> headers = lowerCase(resp.headers().toMap());
    if (status / 100 != 2) {
      try (resp) {
        byte[] errorBody = readErrorBody(resp.inputStream());
        throw ErrorClassifier.ofStatus(e, status, headers, errorBody);
      }
    }
    return new HttpUpstreamStream(e, status, headers, resp);
  }

  private HttpClientRequest request(Endpoint e, String path, boolean stream) {
    HttpClientRequest r = http.post().uri(e.uri(path)).readTimeout(e.timeout())
        .header(HeaderNames.CONTENT_TYPE, "application/json")
        .header(HeaderNames.ACCEPT, stream ? "text/event-stream" : "application/json");
    for (Map.Entry<String, String> h : e.extraHeaders().entrySet()) {
      if (!NOT_FORWARDED.contains(h.getKey().toLowerCase(Locale.ROOT))) {
        r.header(HeaderNames.create(h.getKey()), h.getValue());
      }
    }
    if (e.format() == WireFormat.ANTHROPIC) {
      if (!Headers.has(e.extraHeaders(), "anthropic-version")) {
        r.header(HeaderNames.create("anthropic-version"), ANTHROPIC_VERSION);
      }
      if (e.apiKey() != null) {
        r.header(HeaderNames.create("x-api-key"), e.apiKey());
      }
    } else if (e.apiKey() != null) {
      r.header(HeaderNames.AUTHORIZATION, "Bearer " + e.apiKey());
    }
    return r;
  }

  private static byte[] readAll(Endpoint e, HttpClientResponse resp) {
    try (InputStream in = resp.inputStream()) {
      return in.readAllBytes();
    } catch (IOException broken) {
      throw transportFailure(e, broken);
    }
  }

  static UpstreamException timeout(Endpoint e, Throwable cause) {
    return new UpstreamException(Kind.TIMEOUT, e.provider(), 0, null, null,
        e.provider() + " did not answer within " + e.timeout().toMillis() + " ms", cause);
  }

  /** Maps a failure of the transport (connect, read, timeout) to its kind. */
  static UpstreamException transportFailure(Endpoint e, Throwable failed) {
    for (Throwable c = failed; c != null; c = c.getCause()) {
      if (c instanceof SocketTimeoutException || c instanceof HttpTimeoutException) {
        return timeout(e, failed);
      }
      if (c instanceof ConnectException) {
        return new UpstreamException(Kind.CONNECTION, e.provider(), 0, null, null,
            "could not connect to " + e.provider() + " at " + e.baseUrl(), failed);
      }
    }
    return new UpstreamException(Kind.CONNECTION, e.provider(), 0, null, null,
        "connection to " + e.provider() + " failed: " + ErrorClassifier.describe(failed),
        failed);
  }

  /** Reads an error body, bounded in size; the socket read timeout bounds it in time. */
  private static byte[] readErrorBody(InputStream in) {
    try (in) {
      return in.readNBytes(MAX_ERROR_BODY_BYTES);
    } catch (IOException | RuntimeException unreadable) {
      return new byte[0];
    }
  }

  private static Map<String, List<String>> lowerCase(Map<String, List<String>> headers) {
    var out = new java.util.LinkedHashMap<String, List<String>>();
    headers.forEach((k, v) -> out.put(k.toLowerCase(Locale.ROOT), v));
    return out;
  }

  static void closeQuietly(AutoCloseable c) {
    try {
      c.close();
    } catch (Exception ignored) {
      // nothing more can be done for a connection being abandoned
    }
  }
}
