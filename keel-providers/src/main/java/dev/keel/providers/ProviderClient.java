package dev.keel.providers;

import dev.keel.providers.UpstreamException.Kind;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Sends requests to upstream providers over HTTP/1.1 and classifies every failure as an
 * {@link UpstreamException}. Blocking calls, meant to run on virtual threads; thread-safe and
 * meant to be shared (the no-argument constructor uses one client for the whole process).
 *
 * <p>Authentication comes only from {@link Endpoint#apiKey()}: OpenAI gets
 * {@code Authorization: Bearer}, Anthropic {@code x-api-key} and an {@code anthropic-version}
 * (2023-06-01 unless the endpoint's extra headers carry the client's). Credentials and
 * hop-by-hop headers in extra headers are not forwarded.
 */
public final class ProviderClient {

  static final String ANTHROPIC_VERSION = "2023-06-01";
  private static final int MAX_ERROR_BODY_BYTES = 64 * 1024;
  private static final Set<String> NOT_FORWARDED = Set.of("authorization", "x-api-key",
      "connection", "content-length", "expect", "host", "upgrade", "keep-alive",
      "transfer-encoding", "te", "trailer", "proxy-authorization");

  private static volatile HttpClient shared;

  private final HttpClient http;

  /** A client on the process-wide shared HTTP client. */
  public ProviderClient() {
    this(sharedClient());
  }

  public ProviderClient(HttpClient http) {
    this.http = Objects.requireNonNull(http, "http");
  }

  /**
   * POSTs {@code body} and returns the whole 2xx answer, checked to be JSON. The endpoint
   * timeout bounds the whole exchange.
   */
  public UpstreamResponse send(Endpoint e, String path, byte[] body) throws UpstreamException {
    HttpResponse<byte[]> resp = await(e, http.sendAsync(request(e, path, body, false),
        HttpResponse.BodyHandlers.ofByteArray()));
    if (resp.statusCode() / 100 != 2) {
      throw ErrorClassifier.ofStatus(e, resp.statusCode(), resp.headers().map(), resp.body());
    }
    try {
      Json.MAPPER.readTree(resp.body());
    } catch (IOException notJson) {
      throw new UpstreamException(Kind.MALFORMED_RESPONSE, e.provider(), resp.statusCode(),
          null, ErrorClassifier.truncate(new String(resp.body(),
              StandardCharsets.UTF_8), ErrorClassifier.MAX_BODY_CHARS),
          e.provider() + " returned HTTP " + resp.statusCode() + " with a body that is not JSON",
          notJson);
    }
    return new UpstreamResponse(resp.statusCode(), resp.headers().map(), resp.body());
  }

  /**
   * POSTs {@code body} and opens the 2xx event stream. The endpoint timeout bounds the wait for
   * response headers and then each read.
   */
  public UpstreamStream stream(Endpoint e, String path, byte[] body) throws UpstreamException {
    HttpResponse<InputStream> resp = await(e, http.sendAsync(request(e, path, body, true),
        HttpResponse.BodyHandlers.ofInputStream()));
    if (resp.statusCode() / 100 != 2) {
      byte[] errorBody = readErrorBody(e, resp.body());
      throw ErrorClassifier.ofStatus(e, resp.statusCode(), resp.headers().map(), errorBody);
    }
    return new HttpUpstreamStream(e, resp.statusCode(), resp.headers().map(), resp.body());
  }

  private static HttpClient sharedClient() {
    HttpClient c = shared;
    if (c == null) {
      synchronized (ProviderClient.class) {
        c = shared;
        if (c == null) {
          c = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
              .followRedirects(HttpClient.Redirect.NEVER)
              .executor(Executors.newVirtualThreadPerTaskExecutor()).build();
          shared = c;
        }
      }
    }
    return c;
  }

  private static HttpRequest request(Endpoint e, String path, byte[] body, boolean stream) {
    HttpRequest.Builder b = HttpRequest.newBuilder(e.uri(path)).timeout(e.timeout())
        .POST(HttpRequest.BodyPublishers.ofByteArray(body))
        .header("content-type", "application/json")
        .header("accept", stream ? "text/event-stream" : "application/json");
    for (Map.Entry<String, String> h : e.extraHeaders().entrySet()) {
      if (!NOT_FORWARDED.contains(h.getKey().toLowerCase(Locale.ROOT))) {
        b.header(h.getKey(), h.getValue());
      }
    }
    if (e.format() == WireFormat.ANTHROPIC) {
      if (!Headers.has(e.extraHeaders(), "anthropic-version")) {
        b.header("anthropic-version", ANTHROPIC_VERSION);
      }
      if (e.apiKey() != null) {
        b.header("x-api-key", e.apiKey());
      }
    } else if (e.apiKey() != null) {
      b.header("authorization", "Bearer " + e.apiKey());
    }
    return b.build();
  }

  /** Waits for the response (headers; for byte bodies also the body) within the timeout. */
  private static <T> HttpResponse<T> await(Endpoint e, CompletableFuture<HttpResponse<T>> f) {
    try {
      return f.get(e.timeout().toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException timedOut) {
      f.cancel(true);
      throw timeout(e, timedOut);
    } catch (InterruptedException interrupted) {
      f.cancel(true);
      Thread.currentThread().interrupt();
      throw new UpstreamException(Kind.CONNECTION, e.provider(), 0, null, null,
          "interrupted while calling " + e.provider(), interrupted);
    } catch (ExecutionException failed) {
      throw transportFailure(e, failed.getCause());
    }
  }

  static UpstreamException timeout(Endpoint e, Throwable cause) {
    return new UpstreamException(Kind.TIMEOUT, e.provider(), 0, null, null,
        e.provider() + " did not answer within " + e.timeout().toMillis() + " ms", cause);
  }

  private static UpstreamException transportFailure(Endpoint e, Throwable cause) {
    if (cause instanceof HttpConnectTimeoutException || cause instanceof ConnectException) {
      return new UpstreamException(Kind.CONNECTION, e.provider(), 0, null, null,
          "could not connect to " + e.provider() + " at " + e.baseUrl(), cause);
    }
    if (cause instanceof HttpTimeoutException) {
      return timeout(e, cause);
    }
    return new UpstreamException(Kind.CONNECTION, e.provider(), 0, null, null,
        "connection to " + e.provider() + " failed: " + cause, cause);
  }

  /** Reads an error body, bounded in size and (as every read) in time. */
  private static byte[] readErrorBody(Endpoint e, InputStream in) {
    var reader = new CompletableFuture<byte[]>();
    Thread.ofVirtual().name("keel-error-body").start(() -> {
      try (in) {
        reader.complete(in.readNBytes(MAX_ERROR_BODY_BYTES));
      } catch (IOException broken) {
        reader.complete(new byte[0]);
      }
    });
    try {
      return reader.get(e.timeout().toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException | ExecutionException unreadable) {
      closeQuietly(in);
      return new byte[0];
    } catch (InterruptedException interrupted) {
      closeQuietly(in);
      Thread.currentThread().interrupt();
      return new byte[0];
    }
  }

  static void closeQuietly(InputStream in) {
    try {
      in.close();
    } catch (IOException ignored) {
      // nothing more can be done for a connection being abandoned
    }
  }
}
