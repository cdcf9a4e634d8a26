package dev.keel.providers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keel.providers.UpstreamException.Kind;
import io.helidon.common.buffers.DataReader;
import io.helidon.webclient.api.RuntimeUnknownHostException;
import java.io.EOFException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.nio.channels.ClosedChannelException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

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
  void describe_exceptionWithoutMessage_wordsNotAClassName() {
    assertThat(ErrorClassifier.describe(new IOException()))
        .isEqualTo("the connection failed and gave no reason");
    assertThat(ErrorClassifier.describe(new IOException(" ")))
        .isEqualTo("the connection failed and gave no reason");
    assertThat(ErrorClassifier.describe(new IOException("odd state"))).isEqualTo("odd state");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("transportFailures")
  void describe_everyTransportFailure_saysWhatHappenedWithoutClassNames(String what,
      Throwable failure, String expected) {
    String said = ErrorClassifier.describe(failure);

    assertThat(said).isEqualTo(expected);
    assertThat(said).doesNotContainPattern("[A-Z][a-z]+(Exception|Error)\\b")
        .doesNotContain("java.", "io.helidon");
  }

  static Stream<Arguments> transportFailures() {
    return Stream.of(
        Arguments.of("helidon: closed before the whole answer",
            new DataReader.InsufficientDataAvailableException(),
            "the upstream closed the connection before sending a complete answer"),
        Arguments.of("eof wrapped", new UncheckedIOException(new EOFException())
            , "the upstream closed the connection before sending a complete answer"),
        Arguments.of("reset", new UncheckedIOException(new SocketException("Connection reset")),
            "the upstream reset the connection"),
        Arguments.of("broken pipe", new RuntimeException(new SocketException("Broken pipe")),
            "the connection broke while Keel was sending the request"),
        Arguments.of("socket closed", new SocketException("Socket closed"),
            "the connection was closed"),
        Arguments.of("unknown host", new RuntimeUnknownHostException(
            new UnknownHostException("nowhere.invalid")),
            "the host name did not resolve (nowhere.invalid)"),
        Arguments.of("no route", new NoRouteToHostException("No route to host"),
            "no network route to the host"),
        Arguments.of("tls handshake", new UncheckedIOException(
            new SSLHandshakeException("PKIX path building failed")),
            "the TLS handshake failed (is the base URL's scheme right, and is the server's "
                + "certificate trusted?)"),
        Arguments.of("tls", new SSLException("Unsupported or unrecognized SSL message"),
            "the TLS connection failed"),
        Arguments.of("not http", new DataReader.IncorrectNewLineException("bad line"),
            "the upstream's answer was not valid HTTP"),
        Arguments.of("closed channel", new UncheckedIOException(new IOException(
            new ClosedChannelException())), "the connection was closed"),
        Arguments.of("interrupted", new UncheckedIOException(new InterruptedIOException()),
            "the call was interrupted"),
        Arguments.of("unknown, wrapped with class names", new IllegalStateException(
            "java.io.IOException: stream is in a bad state", new IOException(
                "stream is in a bad state")), "stream is in a bad state"));
  }

  @Test
  void transportFailure_helidonClosedEarly_wordsNotTheClassName() {
    UpstreamException e = ProviderClient.transportFailure(OPENAI,
        new DataReader.InsufficientDataAvailableException());

    assertThat(e.kind()).isEqualTo(Kind.CONNECTION);
    assertThat(e.getMessage()).isEqualTo("connection to openai failed: the upstream closed the "
        + "connection before sending a complete answer");
  }

  @Test
  void transportFailure_exceptionWithoutMessage_neverEndsInNull() {
    UpstreamException e = ProviderClient.transportFailure(OPENAI,
        new UncheckedIOException(null, new IOException()));

    assertThat(e.kind()).isEqualTo(Kind.CONNECTION);
    assertThat(e.getMessage())
        .isEqualTo("connection to openai failed: the connection failed and gave no reason");
  }
}
