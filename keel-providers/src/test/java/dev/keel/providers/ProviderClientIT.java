package dev.keel.providers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.keel.core.error.ErrorCode;
import dev.keel.providers.UpstreamException.Kind;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The upstream client against a tiny HTTP server on 127.0.0.1 that plays each failure. */
class ProviderClientIT {

  private static final String KEY = "sk-test-secret-123";
  private static final byte[] REQUEST = "{\"model\":\"m\"}".getBytes(StandardCharsets.UTF_8);

  private final Map<String, Map<String, List<String>>> seenHeaders = new ConcurrentHashMap<>();
  private final CountDownLatch release = new CountDownLatch(1);
  private final ProviderClient client = new ProviderClient();
  private HttpServer server;

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.createContext("/", this::handle);
    server.start();
  }

  @AfterEach
  void stop() {
    release.countDown();
    server.stop(0);
  }

  @Test
  void send_ok_returnsBodyAndSendsBearerKeyToV1Path() {
    UpstreamResponse r = client.send(openAi(), "/v1/chat/completions", REQUEST);

    assertThat(r.status()).isEqualTo(200);
    assertThat(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo("{\"ok\":true}");
    assertThat(seenHeaders.get("/v1/chat/completions").get("Authorization"))
        .containsExactly("Bearer " + KEY);
  }

  @Test
  void send_anthropic_xApiKeyAndVersionAndClientBetaPassedThrough() {
    Endpoint e = new Endpoint("anthropic", WireFormat.ANTHROPIC, base(""), KEY,
        Duration.ofSeconds(5), Map.of("anthropic-beta", "tools-2024", "Authorization", "x"));

    client.send(e, "/messages", REQUEST);

    Map<String, List<String>> h = seenHeaders.get("/v1/messages");
    assertThat(h.get("X-api-key")).containsExactly(KEY);
    assertThat(h.get("Anthropic-version")).containsExactly("2023-06-01");
    assertThat(h.get("Anthropic-beta")).containsExactly("tools-2024");
    assertThat(h).doesNotContainKey("Authorization");
  }

  @Test
  void send_429_rateLimitWithRetryAfter() {
    UpstreamException e = failure("/v1/status/429");

    assertThat(e.kind()).isEqualTo(Kind.RATE_LIMIT);
    assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(7));
    assertThat(e.retriable()).isTrue();
    assertThat(e.code()).isEqualTo(ErrorCode.UPSTREAM_ERROR);
    assertThat(e.getMessage()).contains("openai", "429");
  }

  @Test
  void send_statuses_classifiedInOnePlace() {
    assertThat(failure("/v1/status/500").kind()).isEqualTo(Kind.SERVER_ERROR);
    assertThat(failure("/v1/status/529").kind()).isEqualTo(Kind.SERVER_ERROR);
    assertThat(failure("/v1/status/401").kind()).isEqualTo(Kind.AUTH);
    assertThat(failure("/v1/status/403").kind()).isEqualTo(Kind.AUTH);
    assertThat(failure("/v1/status/404").kind()).isEqualTo(Kind.NOT_FOUND);
    assertThat(failure("/v1/status/422").kind()).isEqualTo(Kind.BAD_REQUEST);
    assertThat(failure("/v1/status/400").kind()).isEqualTo(Kind.BAD_REQUEST);
    assertThat(failure("/v1/status/400").retriable()).isFalse();
  }

  @Test
  void send_contextLengthBodies_contextWindow() {
    UpstreamException openAi = failure("/v1/context/openai");
    UpstreamException anthropic = failure("/v1/context/anthropic");

    assertThat(openAi.kind()).isEqualTo(Kind.CONTEXT_WINDOW);
    assertThat(anthropic.kind()).isEqualTo(Kind.CONTEXT_WINDOW);
    assertThat(anthropic.getMessage()).contains("prompt is too long");
    assertThat(anthropic.upstreamBody()).contains("invalid_request_error");
  }

  @Test
  void send_contentPolicyBody_contentPolicy() {
    assertThat(failure("/v1/policy").kind()).isEqualTo(Kind.CONTENT_POLICY);
  }

  @Test
  void send_keyEchoedInErrorBody_neverInMessageOrBody() {
    UpstreamException e = failure("/v1/echo-key");

    assertThat(e.kind()).isEqualTo(Kind.AUTH);
    assertThat(e.getMessage()).doesNotContain(KEY);
    assertThat(e.upstreamBody()).doesNotContain(KEY).contains("[redacted]");
    assertThat(openAi().toString()).doesNotContain(KEY);
  }

  @Test
  void send_okButNotJson_malformedResponse() {
    assertThat(failure("/v1/not-json").kind()).isEqualTo(Kind.MALFORMED_RESPONSE);
  }

  @Test
  void send_serverStalls_timeoutWithTimeoutCode() {
    long t0 = System.nanoTime();

    UpstreamException e = failure("/v1/stall");

    assertThat(e.kind()).isEqualTo(Kind.TIMEOUT);
    assertThat(e.code()).isEqualTo(ErrorCode.UPSTREAM_TIMEOUT);
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(3));
  }

  @Test
  void send_nothingListening_connection() {
    Endpoint e = new Endpoint("openai", WireFormat.OPENAI, URI.create("http://127.0.0.1:1/v1"),
        KEY, Duration.ofSeconds(2), Map.of());

    UpstreamException ex = catchThrowableOfType(UpstreamException.class,
        () -> client.send(e, "/chat/completions", REQUEST));

    assertThat(ex.kind()).isEqualTo(Kind.CONNECTION);
    assertThat(ex.retriable()).isTrue();
  }

  @Test
  void stream_whole_eventsUntilDoneThenNull() {
    List<String> data = new ArrayList<>();

    try (UpstreamStream s = client.stream(openAi(), "/chat/completions", REQUEST)) {
      SseEvent e;
      while ((e = s.next()) != null) {
        data.add(e.data());
      }
      assertThat(s.status()).isEqualTo(200);
    }

    assertThat(data).containsExactly("{\"n\":1}", "{\"n\":2}", "[DONE]");
  }

  @Test
  void stream_closedMidway_disconnected() {
    try (UpstreamStream s = client.stream(openAi(), "/v1/cut", REQUEST)) {
      List<String> before = List.of(s.next().data(), s.next().data());

      UpstreamException e = catchThrowableOfType(UpstreamException.class, s::next);

      assertThat(before).containsExactly("{\"n\":1}", "{\"n\":2}");
      assertThat(e.kind()).isEqualTo(Kind.DISCONNECTED);
      assertThat(e.retriable()).isTrue();
    }
  }

  @Test
  void stream_stallsBetweenEvents_timeout() {
    try (UpstreamStream s = client.stream(openAi(), "/v1/slow-stream", REQUEST)) {
      SseEvent first = s.next();

      UpstreamException e = catchThrowableOfType(UpstreamException.class, s::next);

      assertThat(first.data()).isEqualTo("{\"n\":1}");
      assertThat(e.kind()).isEqualTo(Kind.TIMEOUT);
    }
  }

  @Test
  void stream_errorStatus_classifiedBeforeStreaming() {
    UpstreamException e = catchThrowableOfType(UpstreamException.class,
        () -> client.stream(openAi(), "/v1/status/503", REQUEST));

    assertThat(e.kind()).isEqualTo(Kind.SERVER_ERROR);
    assertThat(e.upstreamStatus()).isEqualTo(503);
  }

  @Test
  void stream_anthropicErrorEvent_thrownAsServerError() {
    Endpoint a = new Endpoint("anthropic", WireFormat.ANTHROPIC, base(""), KEY,
        Duration.ofSeconds(5), Map.of());

    try (UpstreamStream s = client.stream(a, "/v1/overloaded", REQUEST)) {
      UpstreamException e = catchThrowableOfType(UpstreamException.class, s::next);

      assertThat(e.kind()).isEqualTo(Kind.SERVER_ERROR);
      assertThat(e.getMessage()).contains("Overloaded");
    }
  }

  private UpstreamException failure(String path) {
    return catchThrowableOfType(UpstreamException.class, () -> client.send(openAi(), path,
        REQUEST));
  }

  private Endpoint openAi() {
    return new Endpoint("openai", WireFormat.OPENAI, base("/v1"), KEY, Duration.ofMillis(800),
        Map.of());
  }

  private URI base(String suffix) {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + suffix);
  }

  private void handle(HttpExchange ex) throws IOException {
    String path = ex.getRequestURI().getPath();
    seenHeaders.put(path, Map.copyOf(ex.getRequestHeaders()));
    ex.getRequestBody().readAllBytes();
    if (path.startsWith("/v1/status/")) {
      int status = Integer.parseInt(path.substring("/v1/status/".length()));
      ex.getResponseHeaders().add("retry-after", "7");
      respond(ex, status, "{\"error\":{\"message\":\"status " + status + "\"}}");
    } else {
      respondFor(path, ex);
    }
    ex.close();
  }

  private void respondFor(String path, HttpExchange ex) throws IOException {
    switch (path) {
      case "/v1/context/openai" -> respond(ex, 400, """
          {"error":{"message":"This model's maximum context length is 128000 tokens.",
           "type":"invalid_request_error","param":"messages","code":"context_length_exceeded"}}""");
      case "/v1/context/anthropic" -> respond(ex, 400, """
          {"type":"error","error":{"type":"invalid_request_error",
           "message":"prompt is too long: 210000 tokens > 200000 maximum"}}""");
      case "/v1/policy" -> respond(ex, 400, """
          {"error":{"message":"Your request was rejected by the safety system.",
           "type":"invalid_request_error","code":"content_policy_violation"}}""");
      case "/v1/echo-key" -> respond(ex, 401,
          "{\"error\":{\"message\":\"Incorrect API key provided: " + KEY + "\"}}");
      case "/v1/not-json" -> respond(ex, 200, "{\"choices\": [");
      case "/v1/stall" -> stall();
      case "/v1/cut" -> stream(ex, List.of("data: {\"n\":1}\n\n", "data: {\"n\":2}\n\n"), false);
      case "/v1/slow-stream" -> {
        stream(ex, List.of("data: {\"n\":1}\n\n"), true);
        stall();
      }
      case "/v1/overloaded" -> stream(ex, List.of("event: error\ndata: {\"type\":\"error\","
          + "\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}\n\n"), false);
      case "/v1/chat/completions" -> {
        if ("text/event-stream".equals(ex.getRequestHeaders().getFirst("accept"))) {
          stream(ex, List.of("data: {\"n\":1}\n\n", ": comment\n\ndata: {\"n\":2}\n\n",
              "data: [DONE]\n\n"), false);
        } else {
          respond(ex, 200, "{\"ok\":true}");
        }
      }
      default -> respond(ex, 200, "{\"ok\":true}");
    }
  }

  private static void respond(HttpExchange ex, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().add("content-type", "application/json");
    ex.sendResponseHeaders(status, bytes.length);
    ex.getResponseBody().write(bytes);
  }

  private static void stream(HttpExchange ex, List<String> parts, boolean keepOpen)
      throws IOException {
    ex.getResponseHeaders().add("content-type", "text/event-stream");
    ex.sendResponseHeaders(200, 0);
    OutputStream out = ex.getResponseBody();
    for (String p : parts) {
      out.write(p.getBytes(StandardCharsets.UTF_8));
      out.flush();
    }
    if (!keepOpen) {
      // Ending the chunked body without [DONE] looks like a clean close to HTTP, which is
      // exactly the case only the terminal-event check can catch.
      out.close();
    }
  }

  private void stall() {
    try {
      release.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
