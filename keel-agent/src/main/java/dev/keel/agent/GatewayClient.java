package dev.keel.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Chat completions through Keel's gateway in OpenAI's shape. Each call names the run's trace and
 * AGENT observation in {@code x-keel-trace-id} and {@code x-keel-parent-observation-id}, so the
 * gateway records it as a GENERATION nested under the run.
 */
final class GatewayClient {

  private final URI endpoint;
  private final String key;
  private final HttpClient http;

  GatewayClient(URI baseUrl, String key) {
    String base = baseUrl.toString().replaceAll("/+$", "");
    this.endpoint = URI.create(base + "/v1/chat/completions");
    this.key = key;
    this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(10)).build();
  }

  /** The model's answer and what it cost; throws {@link CallException} when there is none. */
  Reply chat(ObjectNode body, String traceId, String parentId, Duration timeout)
      throws InterruptedException {
    HttpRequest request = HttpRequest.newBuilder(endpoint).timeout(timeout)
        .header("authorization", "Bearer " + key).header("content-type", "application/json")
        .header("x-keel-trace-id", traceId).header("x-keel-parent-observation-id", parentId)
        .POST(HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8))
        .build();
    HttpResponse<String> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (HttpTimeoutException e) {
      throw new CallException("model call timed out after " + timeout.toMillis() + " ms", true,
          null);
    } catch (IOException e) {
      throw new CallException("cannot reach Keel's gateway at " + endpoint + ": " + e, false,
          null);
    }
    JsonNode json = AgentJson.parseOrNull(response.body());
    if (response.statusCode() != 200 || json == null || !json.path("choices").has(0)) {
      String code = json == null ? null : json.path("error").path("code").asText(null);
      throw new CallException("gateway answered " + response.statusCode() + ": "
          + AgentJson.truncate(errorText(json, response.body())), false, code);
    }
    JsonNode cost = json.path("usage").get("cost");
    BigDecimal usd = cost != null && cost.isNumber() ? cost.decimalValue() : null;
    return new Reply((ObjectNode) json.path("choices").get(0).path("message"), usd, json);
  }

  private static String errorText(JsonNode json, String body) {
    JsonNode message = json == null ? null : json.path("error").get("message");
    return message != null ? message.asText() : body;
  }

  /**
   * One answer.
   *
   * @param costUsd the gateway's {@code usage.cost}, or null when it could not price the call
   */
  record Reply(ObjectNode message, BigDecimal costUsd, JsonNode raw) {}

  /**
   * A model call that gave no answer; {@code timeout} tells a deadline from a failure, and
   * {@code code} is the gateway's {@code error.code} (or null).
   */
  static final class CallException extends RuntimeException {
    final boolean timeout;
    final String code;

    CallException(String message, boolean timeout, String code) {
      super(message);
      this.timeout = timeout;
      this.code = code;
    }

    /** The gateway checked a structured answer against the schema and gave up repairing it. */
    boolean schemaMismatch() {
      return "output_schema_mismatch".equals(code);
    }
  }
}
