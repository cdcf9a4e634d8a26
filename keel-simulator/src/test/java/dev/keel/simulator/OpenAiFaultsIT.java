package dev.keel.simulator;

import static dev.keel.simulator.OpenAiConformanceIT.chat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.errors.BadRequestException;
import com.openai.errors.InternalServerException;
import com.openai.errors.NotFoundException;
import com.openai.errors.OpenAIException;
import com.openai.errors.OpenAIIoException;
import com.openai.errors.RateLimitException;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every fault directive as the OpenAI Java SDK sees it, retries off. */
class OpenAiFaultsIT {

  private static Simulator sim;
  private static OpenAIClient client;

  @BeforeAll
  static void start() {
    sim = Simulator.start(SimulatorConfig.anyPort());
    client = clientWithKey("sk-test");
  }

  @AfterAll
  static void stop() {
    sim.close();
  }

  @Test
  void fault429_rateLimitExceptionWithRetryAfter() {
    RateLimitException e = catchThrowableOfType(RateLimitException.class, () -> client.chat()
        .completions().create(chat("gpt-4o", "Hi [[sim fault=429 retry_after=7]]")));

    assertThat(e.statusCode()).isEqualTo(429);
    assertThat(e.headers().values("retry-after")).containsExactly("7");
    assertThat(e.code()).contains("rate_limit_exceeded");
  }

  @Test
  void fault500And503_internalServerException() {
    InternalServerException e500 = catchThrowableOfType(InternalServerException.class,
        () -> client.chat().completions().create(chat("gpt-4o", "Hi [[sim fault=500]]")));
    InternalServerException e503 = catchThrowableOfType(InternalServerException.class,
        () -> client.chat().completions().create(chat("gpt-4o", "Hi [[sim fault=503]]")));

    assertThat(e500.statusCode()).isEqualTo(500);
    assertThat(e503.statusCode()).isEqualTo(503);
  }

  @Test
  void faultContextLength_badRequestWithProviderCode() {
    BadRequestException e = catchThrowableOfType(BadRequestException.class, () -> client.chat()
        .completions().create(chat("gpt-4o", "Hi [[sim fault=context_length]]")));

    assertThat(e.code()).contains("context_length_exceeded");
    assertThat(e.getMessage()).contains("maximum context length is 128000 tokens");
  }

  @Test
  void faultContentPolicy_badRequestWithProviderCode() {
    BadRequestException e = catchThrowableOfType(BadRequestException.class, () -> client.chat()
        .completions().create(chat("gpt-4o", "Hi [[sim fault=content_policy]]")));

    assertThat(e.code()).contains("content_policy_violation");
  }

  @Test
  void times_faultOnFirstNRequestsThenAnswers() {
    ChatCompletionCreateParams params = chat("gpt-4o", "Hi [[sim fault=500 times=2]]");

    assertThatThrownBy(() -> client.chat().completions().create(params))
        .isInstanceOf(InternalServerException.class);
    assertThatThrownBy(() -> client.chat().completions().create(params))
        .isInstanceOf(InternalServerException.class);

    assertThat(client.chat().completions().create(params).choices()).hasSize(1);
  }

  @Test
  void modelFilter_faultOnlyForNamedModel() {
    String text = "Hi [[sim fault=503 model=gpt-4o-mini]]";

    assertThatThrownBy(() -> client.chat().completions().create(chat("gpt-4o-mini", text)))
        .isInstanceOf(InternalServerException.class);

    assertThat(client.chat().completions().create(chat("gpt-4.1-nano", text)).choices())
        .hasSize(1);
  }

  @Test
  void keyFilter_faultOnlyForNamedKey() {
    ChatCompletionCreateParams params = chat("gpt-4o", "Hi [[sim fault=429 key=sk-bad]]");

    assertThatThrownBy(() -> clientWithKey("sk-bad").chat().completions().create(params))
        .isInstanceOf(RateLimitException.class);

    assertThat(client.chat().completions().create(params).choices()).hasSize(1);
  }

  @Test
  void faultTimeout_clientGivesUpAfterItsTimeout() {
    OpenAIClient impatient = OpenAIOkHttpClient.builder().baseUrl(sim.baseUrl() + "/v1")
        .apiKey("sk-test").maxRetries(0).timeout(Duration.ofSeconds(1)).build();
    long start = System.nanoTime();

    assertThatThrownBy(() -> impatient.chat().completions()
        .create(chat("gpt-4o", "Hi [[sim fault=timeout]]")))
        .isInstanceOf(OpenAIIoException.class);

    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
  }

  @Test
  void faultDisconnect_nonStreaming_ioError() {
    assertThatThrownBy(() -> client.chat().completions()
        .create(chat("gpt-4o", "Hi [[sim fault=disconnect]]")))
        .isInstanceOf(OpenAIIoException.class);
  }

  @Test
  void faultDisconnect_streamingAfterTwoChunks_errorAfterTwoChunks() {
    List<ChatCompletionChunk> seen = new ArrayList<>();

    assertThatThrownBy(() -> {
      try (StreamResponse<ChatCompletionChunk> s = client.chat().completions()
          .createStreaming(chat("gpt-4o", "Tell me more [[sim fault=disconnect after=2]]"))) {
        s.stream().forEach(seen::add);
      }
    }).isInstanceOf(OpenAIException.class);

    assertThat(seen).hasSize(2);
  }

  @Test
  void faultMalformed_nonStreamingAndStreaming_clientCannotParse() {
    assertThatThrownBy(() -> client.chat().completions()
        .create(chat("gpt-4o", "Hi [[sim fault=malformed]]")))
        .isInstanceOf(OpenAIException.class);

    assertThatThrownBy(() -> {
      try (StreamResponse<ChatCompletionChunk> s = client.chat().completions()
          .createStreaming(chat("gpt-4o", "Hi [[sim fault=malformed]]"))) {
        s.stream().forEach(c -> { });
      }
    }).isInstanceOf(OpenAIException.class);
  }

  @Test
  void ttftAndTokenMs_nonStreamingDelayedByTheirSum() {
    long start = System.nanoTime();

    client.chat().completions()
        .create(chat("gpt-4o", "Hi [[sim reply=\"a b c\" ttft_ms=200 token_ms=50]]"));

    assertThat(Duration.ofNanos(System.nanoTime() - start))
        .isGreaterThanOrEqualTo(Duration.ofMillis(350));
  }

  @Test
  void unknownModel_notFoundException() {
    assertThatThrownBy(() -> client.chat().completions().create(chat("gpt-9", "Hi")))
        .isInstanceOf(NotFoundException.class);
  }

  @Test
  void unknownDirectiveKey_badRequestNamingIt() {
    assertThatThrownBy(() -> client.chat().completions()
        .create(chat("gpt-4o", "Hi [[sim fualt=500]]")))
        .isInstanceOf(BadRequestException.class)
        .hasMessageContaining("fualt");
  }

  @Test
  void noKey_unauthorizedInOpenAiShape() throws Exception {
    HttpResponse<String> res = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        URI.create(sim.baseUrl() + "/v1/chat/completions"))
        .POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
        HttpResponse.BodyHandlers.ofString());

    assertThat(res.statusCode()).isEqualTo(401);
    assertThat(Json.MAPPER.readTree(res.body()).path("error").path("code").asText())
        .isEqualTo("invalid_api_key");
  }

  @Test
  void malformedBody_badRequestInOpenAiShape() throws Exception {
    HttpResponse<String> res = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        URI.create(sim.baseUrl() + "/v1/chat/completions")).header("authorization", "Bearer k")
        .POST(HttpRequest.BodyPublishers.ofString("{\"model\":")).build(),
        HttpResponse.BodyHandlers.ofString());

    assertThat(res.statusCode()).isEqualTo(400);
    assertThat(Json.MAPPER.readTree(res.body()).path("error").path("type").asText())
        .isEqualTo("invalid_request_error");
  }

  @Test
  void anyKey_accepted() {
    OpenAIClient stranger = clientWithKey("anything-at-all");

    var answer = stranger.chat().completions().create(chat("gpt-4o", "Hi"));

    assertThat(answer.choices()).hasSize(1);
  }

  private static OpenAIClient clientWithKey(String key) {
    return OpenAIOkHttpClient.builder().baseUrl(sim.baseUrl() + "/v1").apiKey(key)
        .maxRetries(0).build();
  }
}
