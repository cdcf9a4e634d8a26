package dev.keel.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.models.ModelInfo;
import com.fasterxml.jackson.databind.JsonNode;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.errors.BadRequestException;
import com.openai.errors.NotFoundException;
import com.openai.models.ResponseFormatJsonObject;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Requests translated for the other provider, through the real gateway with the official OpenAI
 * and Anthropic Java SDKs: what cannot be honoured is a 400 naming it (or left out with
 * drop_params), never dropped silently; the models routes answer each SDK in its own shape; the
 * embeddings route checks what it would otherwise pass on.
 */
class TranslationIT {

  private static final String HAIKU = "claude-3-5-haiku-20241022";

  @TempDir
  static Path dir;
  private static KeelFixture keel;
  private static OpenAIClient openAi;
  private static AnthropicClient anthropic;

  @BeforeAll
  static void start() {
    keel = KeelFixture.start(dir);
    openAi = OpenAIOkHttpClient.builder().baseUrl(keel.baseUrl() + "/v1")
        .apiKey(KeelFixture.MASTER_KEY).maxRetries(0).build();
    anthropic = AnthropicOkHttpClient.builder().baseUrl(keel.baseUrl())
        .apiKey(KeelFixture.MASTER_KEY).maxRetries(0).build();
  }

  @AfterAll
  static void stop() {
    openAi.close();
    anthropic.close();
    keel.close();
  }

  @Test
  void openAiSdk_nOf2ForClaude_400NamingNAndNothingSentUpstream() {
    String traceId = UUID.randomUUID().toString();
    ChatCompletionCreateParams params = chat(HAIKU).n(2)
        .putAdditionalHeader("x-keel-trace-id", traceId).build();

    BadRequestException e = catchThrowableOfType(BadRequestException.class,
        () -> openAi.chat().completions().create(params));

    assertThat(e).isNotNull();
    assertThat(e.statusCode()).isEqualTo(400);
    assertThat(e.getMessage()).contains("n=2 is not supported by anthropic models; Anthropic "
        + "answers with one message; send n=1");
    assertThat(e.body().toString()).contains("param=n");
    HttpResponse<String> trace = keel.get("/api/public/traces/" + traceId, "authorization",
        KeelFixture.bearerMaster());
    assertThat(trace.statusCode()).as("a refused request reached no provider").isEqualTo(404);
  }

  @Test
  void openAiSdk_temperatureAboveAnthropicsRangeAndSeed_400EachNamed() {
    BadRequestException hot = catchThrowableOfType(BadRequestException.class,
        () -> openAi.chat().completions().create(chat(HAIKU).temperature(1.5).build()));
    BadRequestException seeded = catchThrowableOfType(BadRequestException.class,
        () -> openAi.chat().completions().create(chat(HAIKU).seed(7).build()));
    BadRequestException logprobs = catchThrowableOfType(BadRequestException.class,
        () -> openAi.chat().completions().create(chat(HAIKU).logprobs(true).build()));

    assertThat(hot.getMessage()).contains("temperature=1.5 is not supported by anthropic "
        + "models; Anthropic's temperature is between 0 and 1");
    assertThat(seeded.getMessage()).contains("seed=7 is not supported by anthropic models");
    assertThat(logprobs.getMessage()).contains("logprobs=true is not supported");
  }

  @Test
  void openAiSdk_dropParams_unsupportedLeftOutAndAnsweredAndTheTraceSaysSo() {
    String traceId = UUID.randomUUID().toString();
    ChatCompletionCreateParams params = chat(HAIKU).n(2).seed(7).temperature(1.5)
        .putAdditionalBodyProperty("drop_params", JsonValue.from(true))
        .putAdditionalHeader("x-keel-trace-id", traceId).build();

    ChatCompletion c = openAi.chat().completions().create(params);

    assertThat(c.choices()).hasSize(1);
    assertThat(c.choices().get(0).message().content()).hasValueSatisfying(
        text -> assertThat(text).isNotBlank());
    JsonNode recorded = KeelFixture.json(keel.onlyObservation(traceId).modelParameters());
    assertThat(recorded.path("drop_params").asBoolean()).isTrue();
    assertThat(recorded.path("n").asInt()).isEqualTo(2);
  }

  @Test
  void openAiSdk_dropParamsOnSameFormat_answered() {
    ChatCompletion c = openAi.chat().completions().create(chat("gpt-4o-mini").seed(7)
        .putAdditionalBodyProperty("drop_params", JsonValue.from(true)).build());

    assertThat(c.choices()).hasSize(1);
  }

  @Test
  void openAiSdk_jsonObjectForClaude_answerIsAJsonObject() {
    ChatCompletion c = openAi.chat().completions().create(chat(HAIKU)
        .responseFormat(ResponseFormatJsonObject.builder().build()).build());

    String content = c.choices().get(0).message().content().orElseThrow();
    assertThat(KeelFixture.json(content).isObject()).as(content).isTrue();
    assertThat(c.choices().get(0).message().toolCalls()).isEmpty();
  }

  @Test
  void anthropicSdk_thinkingAndTopKForGpt_400EachNamed() {
    var thinking = catchThrowableOfType(com.anthropic.errors.BadRequestException.class,
        () -> anthropic.messages().create(messages("gpt-4o").enabledThinking(1024).build()));
    var topK = catchThrowableOfType(com.anthropic.errors.BadRequestException.class,
        () -> anthropic.messages().create(messages("gpt-4o")
            .putAdditionalBodyProperty("top_k", com.anthropic.core.JsonValue.from(5)).build()));

    // The SDK's message is the error body as JSON text, so the value's quotes come escaped.
    assertThat(thinking.getMessage()).contains("\"message\":\"thinking={")
        .contains("budget_tokens").contains("} is not supported by openai models; OpenAI "
            + "reasoning models take reasoning_effort");
    assertThat(topK.getMessage()).contains("top_k=5 is not supported by openai models");
  }

  @Test
  void anthropicSdk_modelsListAndRetrieve_anthropicShape() {
    List<String> ids = anthropic.models().list().autoPager().stream().map(ModelInfo::id)
        .toList();
    ModelInfo gpt = anthropic.models().retrieve("gpt-4o");

    assertThat(ids).contains(HAIKU, "gpt-4o").doesNotHaveDuplicates();
    assertThat(gpt.id()).isEqualTo("gpt-4o");
    assertThat(gpt.displayName()).isEqualTo("gpt-4o");
    assertThat(gpt.createdAt().toEpochSecond()).isZero();
    var missing = catchThrowableOfType(com.anthropic.errors.NotFoundException.class,
        () -> anthropic.models().retrieve("no-such-model"));
    assertThat(missing.getMessage()).contains("model 'no-such-model' does not exist");
  }

  @Test
  void openAiSdk_modelsRetrieve_openAiShapeAnd404() {
    assertThat(openAi.models().retrieve(HAIKU).ownedBy()).isEqualTo("anthropic");
    NotFoundException e = catchThrowableOfType(NotFoundException.class,
        () -> openAi.models().retrieve("no-such-model"));
    assertThat(e.statusCode()).isEqualTo(404);
  }

  @Test
  void models_anthropicVersionHeader_pagedByLimitAfterId() {
    HttpResponse<String> first = keel.get("/v1/models?limit=2", "authorization",
        KeelFixture.bearerMaster(), "anthropic-version", "2023-06-01");
    JsonNode page = KeelFixture.json(first);
    HttpResponse<String> next = keel.get("/v1/models?limit=2&after_id="
        + page.path("last_id").asText(), "authorization", KeelFixture.bearerMaster(),
        "anthropic-version", "2023-06-01");
    HttpResponse<String> bad = keel.get("/v1/models?limit=0", "x-api-key",
        KeelFixture.MASTER_KEY);

    assertThat(first.statusCode()).isEqualTo(200);
    assertThat(page.path("data")).hasSize(2);
    assertThat(page.path("has_more").asBoolean()).isTrue();
    assertThat(page.path("data").get(0).path("type").asText()).isEqualTo("model");
    assertThat(page.path("first_id").asText()).isEqualTo(page.path("data").get(0).path("id")
        .asText());
    assertThat(KeelFixture.json(next).path("data").get(0).path("id").asText())
        .isNotIn(page.path("data").get(0).path("id").asText(),
            page.path("data").get(1).path("id").asText());
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(KeelFixture.json(bad).path("type").asText()).isEqualTo("error");
    assertThat(KeelFixture.json(bad).path("error").path("message").asText())
        .isEqualTo("limit must be between 1 and 1000, got: 0");
  }

  @Test
  void embeddings_hexEncodingAndNegativeDimensions_400NamingFieldAndValue() {
    HttpResponse<String> hex = keel.post("/v1/embeddings", "{\"model\": "
        + "\"text-embedding-3-small\", \"input\": \"hi\", \"encoding_format\": \"hex\"}",
        "authorization", KeelFixture.bearerMaster(), "content-type", "application/json");
    HttpResponse<String> dims = keel.post("/v1/embeddings", "{\"model\": "
        + "\"text-embedding-3-small\", \"input\": \"hi\", \"dimensions\": -1}",
        "authorization", KeelFixture.bearerMaster(), "content-type", "application/json");

    assertThat(hex.statusCode()).isEqualTo(400);
    assertThat(KeelFixture.json(hex).path("error").path("message").asText())
        .isEqualTo("encoding_format must be one of \"float\", \"base64\", got: \"hex\"");
    assertThat(KeelFixture.json(hex).path("error").path("param").asText())
        .isEqualTo("encoding_format");
    assertThat(dims.statusCode()).isEqualTo(400);
    assertThat(KeelFixture.json(dims).path("error").path("message").asText())
        .isEqualTo("dimensions must be a positive integer, got: -1");
  }

  private static ChatCompletionCreateParams.Builder chat(String model) {
    return ChatCompletionCreateParams.builder().model(model).maxCompletionTokens(50)
        .addUserMessage("Say hello");
  }

  private static MessageCreateParams.Builder messages(String model) {
    return MessageCreateParams.builder().model(model).maxTokens(2000).addUserMessage("Hi");
  }
}
