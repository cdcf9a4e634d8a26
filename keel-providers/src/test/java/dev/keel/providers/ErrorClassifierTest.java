package dev.keel.providers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keel.providers.UpstreamException.Kind;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ErrorClassifierTest {

  private static final Endpoint OPENAI = new Endpoint("openai", WireFormat.OPENAI,
      URI.create("http://127.0.0.1:9/v1"), "sk-test", Duration.ofSeconds(5), Map.of());

  @Test
  void kind_openAiContextLengthCode_contextWindowWhateverTheMessage() {
    String body = """
        {"error": {"message": "Request rejected.", "type": "invalid_request_error",
         "param": "messages", "code": "context_length_exceeded"}}""";

    assertThat(ErrorClassifier.kind(400, body)).isEqualTo(Kind.CONTEXT_WINDOW);
  }

  @Test
  void kind_openAiContentPolicyCode_contentPolicy() {
    String body = """
        {"error": {"message": "Rejected.", "type": "invalid_request_error",
         "param": null, "code": "content_policy_violation"}}""";

    assertThat(ErrorClassifier.kind(400, body)).isEqualTo(Kind.CONTENT_POLICY);
  }

  @Test
  void kind_azureContentFilterCode_contentPolicy() {
    String body = """
        {"error": {"message": "The response was filtered.", "type": null,
         "param": "prompt", "status": 400, "code": "content_filter"}}""";

    assertThat(ErrorClassifier.kind(400, body)).isEqualTo(Kind.CONTENT_POLICY);
  }

  @Test
  void kind_contextCodeAsErrorType_contextWindow() {
    String body = "{\"error\": {\"message\": \"too big\", \"type\": \"context_length_exceeded\"}}";

    assertThat(ErrorClassifier.kind(400, body)).isEqualTo(Kind.CONTEXT_WINDOW);
  }

  @Test
  void kind_anthropicPromptTooLong_contextWindow() {
    String body = """
        {"type": "error", "error": {"type": "invalid_request_error",
         "message": "prompt is too long: 250012 tokens > 200000 maximum"}}""";

    assertThat(ErrorClassifier.kind(400, body)).isEqualTo(Kind.CONTEXT_WINDOW);
  }

  @Test
  void kind_anthropicContentFilteringMessage_contentPolicy() {
    String body = """
        {"type": "error", "error": {"type": "invalid_request_error",
         "message": "Output blocked by content filtering policy"}}""";

    assertThat(ErrorClassifier.kind(400, body)).isEqualTo(Kind.CONTENT_POLICY);
  }

  @Test
  void kind_messageListingAllowedFaultNames_badRequestNotARefusal() {
    String body = """
        {"error": {"message": "unknown fault: bogus (expected 429, 500, 503, timeout,\
         disconnect, malformed, context_length or content_policy)",
         "type": "invalid_request_error", "param": null, "code": null}}""";

    assertThat(ErrorClassifier.kind(400, body)).isEqualTo(Kind.BAD_REQUEST);
  }

  @Test
  void kind_phraseOutsideTheMessage_notRead() {
    String body = """
        {"error": {"message": "invalid value for 'mode'", "type": "invalid_request_error",
         "param": "maximum context length", "code": null},
         "allowed": ["content policy", "safety system"]}""";

    assertThat(ErrorClassifier.kind(400, body)).isEqualTo(Kind.BAD_REQUEST);
  }

  @Test
  void kind_vllmTopLevelMessage_contextWindow() {
    String body = """
        {"object": "error", "message": "This model's maximum context length is 4096 tokens.\
         However, you requested 5000 tokens.", "type": "BadRequestError", "param": null,
         "code": 400}""";

    assertThat(ErrorClassifier.kind(400, body)).isEqualTo(Kind.CONTEXT_WINDOW);
  }

  @Test
  void kind_ollamaErrorString_contextWindow() {
    String body = "{\"error\": \"input exceeds the context window of the model\"}";

    assertThat(ErrorClassifier.kind(400, body)).isEqualTo(Kind.CONTEXT_WINDOW);
  }

  @Test
  void kind_plainTextBody_readAsTheMessage() {
    assertThat(ErrorClassifier.kind(400, "Request blocked by the safety system"))
        .isEqualTo(Kind.CONTENT_POLICY);
  }

  @Test
  void kind_plainBadRequest_badRequest() {
    String body = "{\"error\": {\"message\": \"temperature: too high\", \"code\": null}}";

    assertThat(ErrorClassifier.kind(400, body)).isEqualTo(Kind.BAD_REQUEST);
  }

  @Test
  void kind_statuses_mapped() {
    assertThat(ErrorClassifier.kind(429, "{}")).isEqualTo(Kind.RATE_LIMIT);
    assertThat(ErrorClassifier.kind(503, "")).isEqualTo(Kind.SERVER_ERROR);
    assertThat(ErrorClassifier.kind(401, "")).isEqualTo(Kind.AUTH);
    assertThat(ErrorClassifier.kind(404, "")).isEqualTo(Kind.NOT_FOUND);
    assertThat(ErrorClassifier.kind(408, "")).isEqualTo(Kind.TIMEOUT);
  }

  @Test
  void kind_contextCodeOnA500_stillServerError() {
    String body = "{\"error\": {\"message\": \"x\", \"code\": \"context_length_exceeded\"}}";

    assertThat(ErrorClassifier.kind(500, body)).isEqualTo(Kind.SERVER_ERROR);
  }

  @Test
  void ofStatus_messageCarriesTheProviderMessage() {
    byte[] body = ("{\"error\": {\"message\": \"This model's maximum context length is 8192"
        + " tokens.\", \"code\": \"context_length_exceeded\"}}").getBytes(StandardCharsets.UTF_8);

    UpstreamException e = ErrorClassifier.ofStatus(OPENAI, 400, Map.of(), body);

    assertThat(e.kind()).isEqualTo(Kind.CONTEXT_WINDOW);
    assertThat(e.getMessage()).isEqualTo("openai returned HTTP 400 (context window): "
        + "This model's maximum context length is 8192 tokens.");
  }

  @Test
  void ofStreamError_anthropicOverloaded_serverError() {
    UpstreamException e = ErrorClassifier.ofStreamError(OPENAI, "{\"type\": \"error\","
        + " \"error\": {\"type\": \"overloaded_error\", \"message\": \"Overloaded\"}}");

    assertThat(e.kind()).isEqualTo(Kind.SERVER_ERROR);
    assertThat(e.getMessage()).endsWith(": Overloaded");
  }

  @Test
  void describe_exceptionWithoutMessage_itsSimpleName() {
    assertThat(ErrorClassifier.describe(new IOException())).isEqualTo("IOException");
    assertThat(ErrorClassifier.describe(new IOException(" "))).isEqualTo("IOException");
    assertThat(ErrorClassifier.describe(new IOException("reset"))).isEqualTo("reset");
  }

  @Test
  void transportFailure_exceptionWithoutMessage_neverEndsInNull() {
    UpstreamException e = ProviderClient.transportFailure(OPENAI,
        new UncheckedIOException(null, new IOException()));

    assertThat(e.kind()).isEqualTo(Kind.CONNECTION);
    assertThat(e.getMessage()).isEqualTo("connection to openai failed: UncheckedIOException");
  }
}
