package dev.keel.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keel.core.trace.Level;
import dev.keel.core.trace.Observation;
import dev.keel.core.trace.Trace;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad requests and upstream failures through plain HTTP: each gets the right status, the error
 * shape of the route's API and a message naming the problem, and the server keeps serving.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GatewayBadInputIT {

  private static final String CHAT = "/v1/chat/completions";
  private static final String MESSAGES = "/v1/messages";

  @TempDir
  static Path dir;
  private static KeelFixture keel;
  private static KeelFixture smallBodies;

  @BeforeAll
  static void start() throws Exception {
    // No retries here: these tests are about how each failure is reported; RoutingIT covers
    // retries and fallbacks.
    keel = KeelFixture.start(Files.createDirectory(dir.resolve("main")),
        "limits:\n  upstream_timeout_seconds: 1\nrouting:\n  retries: {max: 0}\n");
    smallBodies = KeelFixture.start(Files.createDirectory(dir.resolve("small")),
        "limits:\n  max_body_bytes: 1000\n");
  }

  @AfterAll
  static void stop() {
    keel.close();
    smallBodies.close();
  }

  @Test
  void chat_malformedJson_400NamingThePosition() {
    HttpResponse<String> r = keel.chat("{\"model\": \"gpt-4o\", \"messages\": [");

    assertOpenAiError(r, 400, "invalid_request_error", "invalid_json", null,
        "not valid JSON", "line 1");
  }

  @Test
  void chat_emptyBody_400SaysBodyIsEmpty() {
    HttpResponse<String> r = keel.chat("");

    assertOpenAiError(r, 400, "invalid_request_error", "invalid_json", null, "body is empty");
  }

  @Test
  void chat_jsonArrayBody_400SaysObjectExpected() {
    HttpResponse<String> r = keel.chat("[{\"model\":\"gpt-4o\"}]");

    assertOpenAiError(r, 400, "invalid_request_error", "invalid_json", null,
        "must be a JSON object", "array");
  }

  @Test
  void chat_missingModel_400WithParamModel() {
    HttpResponse<String> r = keel.chat(
        "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");

    assertOpenAiError(r, 400, "invalid_request_error", "invalid_request", "model",
        "model is required");
  }

  @Test
  void chat_modelNotAString_400ShowsTheValue() {
    HttpResponse<String> r = keel.chat(
        "{\"model\":42,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");

    assertOpenAiError(r, 400, "invalid_request_error", "invalid_request", "model",
        "model must be a non-empty string", "42");
  }

  @Test
  void chat_unknownModel_404NamesTheModel() {
    HttpResponse<String> r = keel.chat(body("gpt-9-ultra", "hi"));

    assertOpenAiError(r, 404, "not_found_error", "model_not_found", "model", "gpt-9-ultra");
  }

  @Test
  void chat_messagesNotArray_400() {
    HttpResponse<String> r = keel.chat("{\"model\":\"gpt-4o\",\"messages\":\"hello\"}");

    assertOpenAiError(r, 400, "invalid_request_error", "invalid_request", "messages",
        "messages must be an array", "hello");
  }

  @Test
  void chat_messagesEmpty_400() {
    HttpResponse<String> r = keel.chat("{\"model\":\"gpt-4o\",\"messages\":[]}");

    assertOpenAiError(r, 400, "invalid_request_error", "invalid_request", "messages",
        "messages must not be empty");
  }

  @Test
  void chat_streamNotBoolean_400() {
    HttpResponse<String> r = keel.chat("{\"model\":\"gpt-4o\",\"stream\":\"yes\","
        + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");

    assertOpenAiError(r, 400, "invalid_request_error", "invalid_request", "stream",
        "stream must be a boolean", "yes");
  }

  @Test
  void chat_bodyOverLimitWithLength_413NamesTheLimit() {
    HttpResponse<String> r = smallBodies.chat(body("gpt-4o", "x".repeat(2_000)));

    assertOpenAiError(r, 413, "request_too_large", "body_too_large", null, "1000 bytes",
        "max_body_bytes");
  }

  @Test
  void chat_bodyOverLimitChunked_413NamesTheLimit() {
    byte[] bytes = body("gpt-4o", "y".repeat(5_000)).getBytes(StandardCharsets.UTF_8);
    HttpRequest.Builder req = smallBodies.request(CHAT, "authorization",
        KeelFixture.bearerMaster(), "content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(bytes)));

    HttpResponse<String> r = smallBodies.send(req);

    assertOpenAiError(r, 413, "request_too_large", "body_too_large", null, "1000 bytes");
  }

  @Test
  void messages_bodyOverLimit_413InAnthropicShape() {
    HttpResponse<String> r = smallBodies.post(MESSAGES, anthropicBody("claude-3-5-haiku-20241022",
        "z".repeat(2_000)), "x-api-key", KeelFixture.MASTER_KEY, "content-type",
        "application/json");

    assertAnthropicError(r, 413, "request_too_large", "1000 bytes");
  }

  @Test
  void chat_bodyUnderLimit_stillServed() {
    HttpResponse<String> r = smallBodies.chat(body("gpt-4o-mini", "short"));

    assertThat(r.statusCode()).isEqualTo(200);
  }

  @Test
  void chat_invalidUtf8Bytes_400() {
    byte[] prefix = "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\""
        .getBytes(StandardCharsets.UTF_8);
    byte[] bad = {(byte) 0xC3, (byte) 0x28, (byte) 0xFF, (byte) 0xFE};
    byte[] suffix = "\"}]}".getBytes(StandardCharsets.UTF_8);
    byte[] all = new byte[prefix.length + bad.length + suffix.length];
    System.arraycopy(prefix, 0, all, 0, prefix.length);
    System.arraycopy(bad, 0, all, prefix.length, bad.length);
    System.arraycopy(suffix, 0, all, prefix.length + bad.length, suffix.length);

    HttpResponse<String> r = keel.post(CHAT, all, "authorization", KeelFixture.bearerMaster(),
        "content-type", "application/json");

    assertOpenAiError(r, 400, "invalid_request_error", "invalid_json", null, "UTF-8");
  }

  @Test
  void chat_hugeUnicodeAndEmoji_200AndStoredIntact() {
    String content = "Grüße, 世界! 👩‍💻🚀🇳🇴 ".repeat(20_000);
    String traceId = UUID.randomUUID().toString();

    HttpResponse<String> r = keel.chat(body("gpt-4o-mini", content), "x-keel-trace-id",
        traceId);

    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(KeelFixture.json(r).path("choices").get(0).path("message").path("content")
        .asText()).isNotBlank();
    Observation g = keel.onlyObservation(traceId);
    assertThat(KeelFixture.json(g.input()).get(0).path("content").asText()).isEqualTo(content);
  }

  @Test
  void chat_missingKey_401() {
    HttpResponse<String> r = keel.post(CHAT, body("gpt-4o", "hi"), "content-type",
        "application/json");

    assertOpenAiError(r, 401, "authentication_error", "unauthorized", null, "missing API key");
  }

  @Test
  void chat_wrongKey_401() {
    HttpResponse<String> r = keel.post(CHAT, body("gpt-4o", "hi"), "authorization",
        "Bearer sk-keel-wrongwrongwrongwrongwrongwrongwrongwrong");

    assertOpenAiError(r, 401, "authentication_error", "unauthorized", null, "invalid API key");
  }

  @Test
  void messages_missingKey_401InAnthropicShape() {
    HttpResponse<String> r = keel.post(MESSAGES, anthropicBody("claude-3-5-haiku-20241022",
        "hi"), "content-type", "application/json");

    assertAnthropicError(r, 401, "authentication_error", "missing API key");
  }

  @Test
  void chat_projectKeyPair_403() {
    HttpResponse<String> r = keel.post(CHAT, body("gpt-4o", "hi"), "authorization",
        KeelFixture.basicPair());

    assertOpenAiError(r, 403, "permission_error", "forbidden", null, "project keys");
  }

  @Test
  void messages_malformedJson_400InAnthropicShape() {
    HttpResponse<String> r = keel.post(MESSAGES, "{\"model\":", "x-api-key",
        KeelFixture.MASTER_KEY);

    assertAnthropicError(r, 400, "invalid_request_error", "not valid JSON");
  }

  @Test
  void messages_maxTokensNotInteger_400InAnthropicShape() {
    HttpResponse<String> r = keel.post(MESSAGES, "{\"model\":\"claude-3-5-haiku-20241022\","
        + "\"max_tokens\":\"many\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
        "x-api-key", KeelFixture.MASTER_KEY);

    assertAnthropicError(r, 400, "invalid_request_error",
        "max_tokens must be a positive integer, got: \"many\"");
  }

  @Test
  void chat_temperatureNotNumber_400NamesFieldAndValue() {
    HttpResponse<String> r = keel.chat("{\"model\":\"gpt-4o-mini\",\"temperature\":\"hot\","
        + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");

    assertOpenAiError(r, 400, "invalid_request_error", "invalid_request", "temperature",
        "temperature must be a number between 0 and 2, got: \"hot\"");
  }

  @Test
  void chat_translatedToAnthropic_contentNumber_400InsteadOfDropped() {
    HttpResponse<String> r = keel.chat("{\"model\":\"claude-3-5-haiku-20241022\","
        + "\"messages\":[{\"role\":\"system\",\"content\":\"s\"},{\"role\":\"user\","
        + "\"content\":\"hi\"},{\"role\":\"user\",\"content\":5}]}");

    assertOpenAiError(r, 400, "invalid_request_error", "invalid_request",
        "messages[2].content",
        "messages[2].content must be a string or an array of content parts, got: 5");
  }

  @Test
  void chat_translatedToAnthropic_temperatureAboveTwo_400InsteadOfClamped() {
    HttpResponse<String> r = keel.chat("{\"model\":\"claude-3-5-haiku-20241022\","
        + "\"temperature\":7,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");

    assertOpenAiError(r, 400, "invalid_request_error", "invalid_request", "temperature",
        "temperature must be a number between 0 and 2, got: 7");
  }

  @Test
  void chat_toolNameWithSpaces_400() {
    HttpResponse<String> r = keel.chat("{\"model\":\"gpt-4o-mini\",\"tools\":[{\"type\":"
        + "\"function\",\"function\":{\"name\":\"get weather\"}}],"
        + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");

    assertOpenAiError(r, 400, "invalid_request_error", "invalid_request",
        "tools[0].function.name", "tools[0].function.name must be", "\"get weather\"");
  }

  @Test
  void messages_maxTokensMissing_400InAnthropicShape() {
    HttpResponse<String> r = keel.post(MESSAGES, "{\"model\":\"claude-3-5-haiku-20241022\","
        + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
        "x-api-key", KeelFixture.MASTER_KEY);

    assertAnthropicError(r, 400, "invalid_request_error", "max_tokens is required");
  }

  @Test
  void messages_temperatureAboveOne_400InAnthropicShape() {
    HttpResponse<String> r = keel.post(MESSAGES, "{\"model\":\"claude-3-5-haiku-20241022\","
        + "\"max_tokens\":16,\"temperature\":1.5,"
        + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
        "x-api-key", KeelFixture.MASTER_KEY);

    assertAnthropicError(r, 400, "invalid_request_error",
        "temperature must be a number between 0 and 1, got: 1.5");
  }

  @Test
  void messages_translatedToOpenAi_toolUseInputNotObject_400InAnthropicShape() {
    HttpResponse<String> r = keel.post(MESSAGES, "{\"model\":\"gpt-4o-mini\",\"max_tokens\":16,"
        + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"},{\"role\":\"assistant\","
        + "\"content\":[{\"type\":\"tool_use\",\"id\":\"t1\",\"name\":\"get\","
        + "\"input\":\"{}\"}]}]}", "x-api-key", KeelFixture.MASTER_KEY);

    assertAnthropicError(r, 400, "invalid_request_error",
        "messages[1].content[0].input must be an object, got: \"{}\"");
  }

  @Test
  void messages_translatedToOpenAi_systemRoleInMessages_400() {
    HttpResponse<String> r = keel.post(MESSAGES, "{\"model\":\"gpt-4o-mini\",\"max_tokens\":16,"
        + "\"messages\":[{\"role\":\"system\",\"content\":\"s\"}]}",
        "x-api-key", KeelFixture.MASTER_KEY);

    assertAnthropicError(r, 400, "invalid_request_error",
        "messages[0].role must be one of \"user\", \"assistant\", got: \"system\"");
  }

  @Test
  void chat_upstream500_502AndErrorTrace() {
    String traceId = UUID.randomUUID().toString();

    HttpResponse<String> r = keel.chat(body("gpt-4o", "hi [[sim fault=500]]"),
        "x-keel-trace-id", traceId);

    assertOpenAiError(r, 502, "upstream_error", "upstream_server_error", null, "openai");
    assertThat(r.headers().firstValue("x-keel-trace-id")).contains(traceId);
    assertErrorTrace(traceId);
  }

  @Test
  void messages_upstream500_502InAnthropicShapeAndErrorTrace() {
    String traceId = UUID.randomUUID().toString();

    HttpResponse<String> r = keel.post(MESSAGES, anthropicBody("claude-3-5-haiku-20241022",
        "hi [[sim fault=500]]"), "x-api-key", KeelFixture.MASTER_KEY, "x-keel-trace-id",
        traceId);

    assertAnthropicError(r, 502, "api_error", "anthropic");
    assertErrorTrace(traceId);
  }

  @Test
  void chat_upstream429_429WithRetryAfter() {
    String traceId = UUID.randomUUID().toString();

    HttpResponse<String> r = keel.chat(body("gpt-4o", "hi [[sim fault=429 retry_after=7]]"),
        "x-keel-trace-id", traceId);

    assertOpenAiError(r, 429, "upstream_error", "rate_limit_exceeded", null, "openai");
    assertThat(r.headers().firstValue("retry-after")).contains("7");
    assertErrorTrace(traceId);
  }

  @Test
  void chat_upstreamTimeout_504WithinSeconds() {
    String traceId = UUID.randomUUID().toString();
    long t0 = System.nanoTime();

    HttpResponse<String> r = keel.chat(body("gpt-4o", "hi [[sim fault=timeout]]"),
        "x-keel-trace-id", traceId);

    long millis = (System.nanoTime() - t0) / 1_000_000;
    assertOpenAiError(r, 504, "timeout_error", "upstream_timeout", null, "1000 ms");
    assertThat(millis).isBetween(900L, 5_000L);
    assertErrorTrace(traceId);
  }

  @Test
  void chat_upstreamMalformed_502() {
    String traceId = UUID.randomUUID().toString();

    HttpResponse<String> r = keel.chat(body("gpt-4o", "hi [[sim fault=malformed]]"),
        "x-keel-trace-id", traceId);

    assertOpenAiError(r, 502, "upstream_error", "upstream_malformed_response", null, "openai");
    assertErrorTrace(traceId);
  }

  @Test
  void chat_streamDisconnectedMidway_endsWithErrorEventAndErrorTrace() {
    String traceId = UUID.randomUUID().toString();
    String request = "{\"model\":\"gpt-4o\",\"stream\":true,\"messages\":[{\"role\":\"user\","
        + "\"content\":\"Tell a long story [[sim fault=disconnect after=2]]\"}]}";

    HttpResponse<String> r = keel.chat(request, "x-keel-trace-id", traceId);

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).startsWith("data: ");
    String lastEvent = lastSseEvent(r.body());
    assertThat(lastEvent).startsWith("event: error");
    JsonNode err = KeelFixture.json(lastEvent.substring(lastEvent.indexOf("data: ") + 6));
    assertThat(err.path("error").path("message").asText()).isNotBlank();
    assertThat(r.body()).doesNotContain("[DONE]");
    assertErrorTrace(traceId);
  }

  @Test
  void messages_streamDisconnectedMidway_endsWithAnthropicErrorEvent() {
    String traceId = UUID.randomUUID().toString();
    String request = "{\"model\":\"claude-3-5-haiku-20241022\",\"max_tokens\":64,"
        + "\"stream\":true,\"messages\":[{\"role\":\"user\","
        + "\"content\":\"Tell a long story [[sim fault=disconnect after=2]]\"}]}";

    HttpResponse<String> r = keel.post(MESSAGES, request, "x-api-key", KeelFixture.MASTER_KEY,
        "x-keel-trace-id", traceId);

    assertThat(r.statusCode()).isEqualTo(200);
    String lastEvent = lastSseEvent(r.body());
    assertThat(lastEvent).startsWith("event: error");
    JsonNode err = KeelFixture.json(lastEvent.substring(lastEvent.indexOf("data: ") + 6));
    assertThat(err.path("type").asText()).as("Anthropic error event %s", err).isEqualTo("error");
    assertThat(err.path("error").path("type").asText()).isNotBlank();
    assertThat(err.path("error").path("message").asText()).isNotBlank();
    assertThat(r.body()).doesNotContain("message_stop");
    // Anthropic reports input tokens when the stream starts, so the cut stream is recorded with
    // the usage and cost known so far.
    Observation g = keel.onlyObservation(traceId);
    assertThat(g.level()).isEqualTo(Level.ERROR);
    assertThat(g.statusMessage()).isNotBlank();
    assertThat(g.usage().get("input")).isPositive();
    assertThat(g.cost().total()).isEqualByComparingTo(dev.keel.core.cost.CostCalculator
        .bundled().cost("claude-3-5-haiku-20241022", g.usage()).orElseThrow().total());
  }

  @Test
  void messages_contextLength_400InAnthropicShape() {
    String traceId = UUID.randomUUID().toString();

    HttpResponse<String> r = keel.post(MESSAGES, anthropicBody("claude-3-5-haiku-20241022",
        "hi [[sim fault=context_length]]"), "x-api-key", KeelFixture.MASTER_KEY,
        "x-keel-trace-id", traceId);

    assertAnthropicError(r, 400, "invalid_request_error", "prompt");
    assertErrorTrace(traceId);
  }

  @Test
  void chat_upstream400ListingContentPolicyAmongAllowedValues_notAContentPolicyRefusal() {
    HttpResponse<String> r = keel.chat(body("gpt-4o", "hi [[sim fault=bogus]]"));

    assertOpenAiError(r, 400, "invalid_request_error", "upstream_bad_request", null,
        "unknown fault: bogus");
  }

  @Test
  void chat_contextLength_400ContextLengthExceeded() {
    String traceId = UUID.randomUUID().toString();

    HttpResponse<String> r = keel.chat(body("gpt-4o", "hi [[sim fault=context_length]]"),
        "x-keel-trace-id", traceId);

    assertOpenAiError(r, 400, "invalid_request_error", "context_length_exceeded", null,
        "context");
    assertErrorTrace(traceId);
  }

  @Test
  void chat_keelHeaders_landOnTheStoredTrace() {
    String traceId = "it-trace-" + UUID.randomUUID();

    HttpResponse<String> r = keel.chat(body("gpt-4o-mini", "hi"), "x-keel-trace-id", traceId,
        "x-keel-trace-name", "checkout-summary", "x-keel-user-id", "user-42",
        "x-keel-session-id", "session-7", "x-keel-tags", "beta, checkout,beta",
        "x-keel-metadata", "{\"tenant\":\"acme\",\"tier\":2}");

    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(r.headers().firstValue("x-keel-trace-id")).contains(traceId);
    Trace t = keel.trace(traceId).trace();
    assertThat(t.name()).isEqualTo("checkout-summary");
    assertThat(t.userId()).isEqualTo("user-42");
    assertThat(t.sessionId()).isEqualTo("session-7");
    assertThat(t.tags()).containsExactlyInAnyOrder("beta", "checkout");
    JsonNode md = KeelFixture.json(t.metadata());
    assertThat(md.path("tenant").asText()).isEqualTo("acme");
    assertThat(md.path("tier").asInt()).isEqualTo(2);
  }

  @Test
  void chat_openAiUserField_setsTheTraceUser() {
    String traceId = UUID.randomUUID().toString();
    String request = "{\"model\":\"gpt-4o-mini\",\"user\":\"end-user-9\","
        + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

    HttpResponse<String> r = keel.chat(request, "x-keel-trace-id", traceId);

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(keel.trace(traceId).trace().userId()).isEqualTo("end-user-9");
  }

  @Test
  void chat_metadataHeaderNotAnObject_400() {
    HttpResponse<String> r = keel.chat(body("gpt-4o-mini", "hi"), "x-keel-metadata",
        "[1,2,3]");

    assertOpenAiError(r, 400, "invalid_request_error", "invalid_request", "x-keel-metadata",
        "x-keel-metadata must be a JSON object");
  }

  @Test
  void chat_metadataHeaderNotJson_400() {
    HttpResponse<String> r = keel.chat(body("gpt-4o-mini", "hi"), "x-keel-metadata",
        "{tenant: acme");

    assertOpenAiError(r, 400, "invalid_request_error", "invalid_request", "x-keel-metadata",
        "x-keel-metadata must be a JSON object");
  }

  @Test
  void chat_traceIdHeaderLongerThanIngestionAllows_400() {
    // Spaces and slashes are fine, as in ingested ids; more than 800 characters is not.
    HttpResponse<String> r = keel.chat(body("gpt-4o-mini", "hi"), "x-keel-trace-id",
        "not a valid id ".repeat(60));

    assertOpenAiError(r, 400, "invalid_request_error", "invalid_request", "x-keel-trace-id",
        "x-keel-trace-id must be 1 to 800 characters, got 899");
  }

  @Test
  @Order(Integer.MAX_VALUE)
  void chat_afterAllFailures_serverStillAnswers() {
    HttpResponse<String> r = keel.chat(body("gpt-4o-mini",
        "Still there? [[sim usage prompt=14 cached=14 completion=10]]"));

    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(r.headers().firstValue("x-keel-cost-usd")).contains("0.00000705");
    assertThat(keel.get("/api/public/health").statusCode()).isEqualTo(200);
  }

  private static String body(String model, String user) {
    var root = KeelFixture.JSON.createObjectNode().put("model", model);
    root.putArray("messages").addObject().put("role", "user").put("content", user);
    return root.toString();
  }

  private static String anthropicBody(String model, String user) {
    var root = KeelFixture.JSON.createObjectNode().put("model", model).put("max_tokens", 64);
    root.putArray("messages").addObject().put("role", "user").put("content", user);
    return root.toString();
  }

  private static void assertOpenAiError(HttpResponse<String> r, int status, String type,
      String code, String param, String... messageParts) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    assertThat(r.headers().firstValue("content-type")).hasValueSatisfying(
        ct -> assertThat(ct).startsWith("application/json"));
    JsonNode root = KeelFixture.json(r);
    assertThat(root.properties()).extracting(e -> e.getKey()).containsExactly("error");
    JsonNode err = root.path("error");
    assertThat(err.properties()).extracting(e -> e.getKey())
        .containsExactlyInAnyOrder("message", "type", "code", "param");
    assertThat(err.path("type").asText()).isEqualTo(type);
    assertThat(err.path("code").asText()).isEqualTo(code);
    if (param == null) {
      assertThat(err.path("param").isNull()).as("param is null in %s", err).isTrue();
    } else {
      assertThat(err.path("param").asText()).isEqualTo(param);
    }
    assertThat(err.path("message").asText()).contains(messageParts);
  }

  @Test
  void chat_bodyCutShortByTheClient_400NamingTheDeclaredLength() throws Exception {
    // The client declares 100 bytes, sends 12 and closes its side: the body can never come.
    URI base = URI.create(keel.baseUrl());
    try (var socket = new java.net.Socket(base.getHost(), base.getPort())) {
      socket.setSoTimeout(10_000);
      socket.getOutputStream().write(("POST " + CHAT + " HTTP/1.1\r\nHost: keel\r\n"
          + "Authorization: " + KeelFixture.bearerMaster() + "\r\nContent-Type: application/json\r\n"
          + "Content-Length: 100\r\n\r\n{\"model\": \"g").getBytes(StandardCharsets.UTF_8));
      socket.shutdownOutput();
      String answer = new String(socket.getInputStream().readAllBytes(),
          StandardCharsets.UTF_8);

      assertThat(answer).startsWith("HTTP/1.1 400")
          .contains("ended before its declared length of 100 bytes");
    }
    assertThat(keel.chat("{\"model\": \"gpt-4o\", \"messages\": [{\"role\": \"user\", "
        + "\"content\": \"still there?\"}]}").statusCode()).isEqualTo(200);
  }

  private static void assertAnthropicError(HttpResponse<String> r, int status, String type,
      String... messageParts) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    JsonNode root = KeelFixture.json(r);
    assertThat(root.properties()).extracting(e -> e.getKey())
        .containsExactlyInAnyOrder("type", "error");
    assertThat(root.path("type").asText()).isEqualTo("error");
    assertThat(root.path("error").path("type").asText()).isEqualTo(type);
    assertThat(root.path("error").path("message").asText()).contains(messageParts);
  }

  private static void assertErrorTrace(String traceId) {
    List<Observation> all = keel.observations(traceId);
    assertThat(all).hasSize(1);
    Observation g = all.get(0);
    assertThat(g.level()).isEqualTo(Level.ERROR);
    assertThat(g.statusMessage()).isNotBlank();
    assertThat(g.cost()).isNull();
    assertThat(keel.trace(traceId).totalCost()).isZero();
  }

  private static String lastSseEvent(String body) {
    String[] events = body.strip().split("\n\n");
    return events[events.length - 1];
  }
}
