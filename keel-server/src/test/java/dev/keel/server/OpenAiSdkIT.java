package dev.keel.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.core.http.HttpResponseFor;
import com.openai.core.http.StreamResponse;
import com.openai.errors.OpenAIException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionMessageToolCall;
import com.openai.models.chat.completions.ChatCompletionNamedToolChoice;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.chat.completions.StructuredChatCompletion;
import com.openai.models.completions.CompletionUsage;
import com.openai.models.embeddings.CreateEmbeddingResponse;
import com.openai.models.embeddings.EmbeddingCreateParams;
import com.openai.models.models.Model;
import dev.keel.core.cost.Cost;
import dev.keel.core.cost.CostCalculator;
import dev.keel.core.cost.PriceTable;
import dev.keel.core.trace.Level;
import dev.keel.core.trace.Observation;
import dev.keel.core.trace.ObservationType;
import dev.keel.core.usage.Usage;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The gateway driven by the official OpenAI Java SDK, for OpenAI and Anthropic models. */
class OpenAiSdkIT {

  private static final String HAIKU = "claude-3-5-haiku-20241022";
  private static final String HAIKU_USAGE =
      "[[sim usage prompt=100 cached=20 cache_write=30 completion=10]]";
  /** 50 x 0.80 + 20 x 0.08 + 30 x 1.00 + 10 x 4.00 USD per million tokens. */
  private static final BigDecimal HAIKU_COST = new BigDecimal("0.0001116");

  @TempDir
  static Path dir;
  private static KeelFixture keel;
  private static OpenAIClient client;

  record Weather(String city, int days) {}

  @BeforeAll
  static void start() {
    keel = KeelFixture.start(dir);
    client = OpenAIOkHttpClient.builder().baseUrl(keel.baseUrl() + "/v1")
        .apiKey(KeelFixture.MASTER_KEY).maxRetries(0).build();
  }

  @AfterAll
  static void stop() {
    client.close();
    keel.close();
  }

  @Test
  void create_cachedUsage_costInHeaderBodyAndStoredGeneration() {
    ChatCompletionCreateParams params = ChatCompletionCreateParams.builder()
        .model("gpt-4o-mini").addSystemMessage("Be brief.")
        .addUserMessage("What is Keel? [[sim usage prompt=14 cached=14 completion=10]]").build();

    HttpResponseFor<ChatCompletion> raw =
        client.chat().completions().withRawResponse().create(params);
    ChatCompletion c = raw.parse();

    assertThat(c.choices().get(0).message().content()).hasValueSatisfying(
        text -> assertThat(text).contains("What is Keel").doesNotContain("[[sim"));
    assertThat(raw.headers().values("x-keel-cost-usd")).containsExactly("0.00000705");
    assertThat(raw.headers().values("x-keel-model")).containsExactly("openai/gpt-4o-mini");
    assertThat(raw.headers().values("x-keel-overhead-ms")).hasSize(1);
    assertThat(bodyCost(c.usage().orElseThrow())).isEqualByComparingTo("0.00000705");
    String traceId = raw.headers().values("x-keel-trace-id").get(0);
    Observation g = keel.onlyObservation(traceId);
    assertThat(g.type()).isEqualTo(ObservationType.GENERATION);
    assertThat(g.model()).isEqualTo("gpt-4o-mini");
    assertThat(g.usage().details()).isEqualTo(Map.of(Usage.INPUT, 0L, Usage.INPUT_CACHED, 14L,
        Usage.OUTPUT, 10L, Usage.TOTAL, 24L));
    assertThat(g.cost().total()).isEqualByComparingTo("0.00000705");
    assertThat(g.cost().total().toPlainString()).isEqualTo("0.00000705");
    assertThat(g.level()).isEqualTo(Level.DEFAULT);
    JsonNode input = KeelFixture.json(g.input());
    assertThat(input.get(0).path("role").asText()).isEqualTo("system");
    assertThat(input.get(1).path("content").asText()).startsWith("What is Keel?");
    assertThat(KeelFixture.json(g.output()).path("content").asText())
        .isEqualTo(c.choices().get(0).message().content().orElseThrow());
    assertThat(keel.trace(traceId).totalCost()).isEqualByComparingTo("0.00000705");
  }

  @Test
  void createStreaming_includeUsage_sameTextAsPlainAndCostInFinalChunk() {
    String user = "Name three rivers [[sim usage prompt=14 cached=14 completion=10]]";
    String plain = client.chat().completions().create(chat("gpt-4o-mini", user).build())
        .choices().get(0).message().content().orElseThrow();
    String traceId = UUID.randomUUID().toString();
    ChatCompletionCreateParams params = chat("gpt-4o-mini", user)
        .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build())
        .putAdditionalHeader("x-keel-trace-id", traceId).build();

    List<ChatCompletionChunk> chunks = stream(params);

    assertThat(text(chunks)).isEqualTo(plain);
    ChatCompletionChunk last = chunks.get(chunks.size() - 1);
    assertThat(last.choices()).isEmpty();
    assertThat(last.usage().orElseThrow().promptTokens()).isEqualTo(14);
    assertThat(bodyCost(last.usage().orElseThrow())).isEqualByComparingTo("0.00000705");
    Observation g = keel.onlyObservation(traceId);
    assertThat(g.completionStartTime()).isNotNull().isAfterOrEqualTo(g.startTime());
    assertThat(g.endTime()).isAfterOrEqualTo(g.completionStartTime());
    assertThat(g.cost().total()).isEqualByComparingTo("0.00000705");
    assertThat(KeelFixture.json(g.output()).path("content").asText()).isEqualTo(plain);
  }

  @Test
  void createStreaming_withoutIncludeUsage_noUsageChunkReachesTheClient() {
    ChatCompletionCreateParams params = chat("gpt-4o-mini", "Hello").build();

    List<ChatCompletionChunk> chunks = stream(params);

    assertThat(chunks).isNotEmpty().allSatisfy(ch -> assertThat(ch.usage()).isEmpty());
    assertThat(text(chunks)).isNotBlank();
  }

  @Test
  void createStreaming_upstreamDisconnects_sdkRaisesInsteadOfEndingQuietly() {
    ChatCompletionCreateParams params =
        chat("gpt-4o-mini", "Tell a long story [[sim fault=disconnect after=2]]").build();
    List<ChatCompletionChunk> chunks = new ArrayList<>();

    Throwable thrown = catchThrowable(() -> {
      try (StreamResponse<ChatCompletionChunk> s =
          client.chat().completions().createStreaming(params)) {
        s.stream().forEach(chunks::add);
      }
    });

    assertThat(thrown).as("stream of %s chunks ended without an error", chunks.size())
        .isInstanceOf(OpenAIException.class);
  }

  @Test
  void create_forcedFunction_toolCallArgumentsMatchTheSchema() {
    ChatCompletionCreateParams params = chat("gpt-4o-mini", "Weather in Oslo?")
        .addTool(Weather.class).toolChoice(forced("Weather")).build();

    ChatCompletion c = client.chat().completions().create(params);

    assertThat(c.choices().get(0).finishReason())
        .isEqualTo(ChatCompletion.Choice.FinishReason.TOOL_CALLS);
    ChatCompletionMessageToolCall call =
        c.choices().get(0).message().toolCalls().orElseThrow().get(0);
    assertThat(call.asFunction().function().name()).isEqualTo("Weather");
    assertWeatherArguments(call.asFunction().function().arguments());
    assertThat(call.asFunction().function().arguments(Weather.class)).isNotNull();
  }

  @Test
  void create_jsonSchemaResponseFormat_answerParsesIntoTheSchema() {
    String traceId = UUID.randomUUID().toString();
    var params = ChatCompletionCreateParams.builder().model("gpt-4o-mini")
        .addUserMessage("Forecast for Lyon?").responseFormat(Weather.class)
        .putAdditionalHeader("x-keel-trace-id", traceId).build();

    StructuredChatCompletion<Weather> c = client.chat().completions().create(params);

    Weather w = c.choices().get(0).message().content().orElseThrow();
    assertThat(w.city()).isNotNull();
    Observation g = keel.onlyObservation(traceId);
    assertThat(KeelFixture.json(g.modelParameters()).path("response_format").asText())
        .isEqualTo("json_schema");
  }

  @Test
  void create_claudeModel_translatedAndPricedAtClaudeRates() {
    ChatCompletionCreateParams params = chat(HAIKU, "Summarise Keel " + HAIKU_USAGE)
        .maxCompletionTokens(200).build();

    HttpResponseFor<ChatCompletion> raw =
        client.chat().completions().withRawResponse().create(params);
    ChatCompletion c = raw.parse();

    assertThat(c.choices().get(0).message().content()).hasValueSatisfying(
        text -> assertThat(text).contains("Summarise Keel"));
    CompletionUsage usage = c.usage().orElseThrow();
    assertThat(usage.promptTokens()).isEqualTo(100);
    assertThat(usage.completionTokens()).isEqualTo(10);
    assertThat(usage.totalTokens()).isEqualTo(110);
    assertThat(expectedHaikuCost()).isEqualByComparingTo(HAIKU_COST);
    assertThat(new BigDecimal(raw.headers().values("x-keel-cost-usd").get(0)))
        .isEqualByComparingTo(HAIKU_COST);
    assertThat(bodyCost(usage)).isEqualByComparingTo(HAIKU_COST);
    Observation g = keel.onlyObservation(raw.headers().values("x-keel-trace-id").get(0));
    assertThat(g.model()).isEqualTo(HAIKU);
    assertThat(g.usage().details()).isEqualTo(Map.of(Usage.INPUT, 50L, Usage.INPUT_CACHED, 20L,
        Usage.INPUT_CACHE_CREATION, 30L, Usage.OUTPUT, 10L, Usage.TOTAL, 110L));
    assertThat(g.cost().total()).isEqualByComparingTo(HAIKU_COST);
    assertThat(KeelFixture.json(g.metadata()).path("upstream_format").asText())
        .isEqualTo("anthropic");
  }

  @Test
  void createStreaming_claudeModel_sameTextAndClaudeCostInUsageChunk() {
    String user = "List the planets " + HAIKU_USAGE;
    String plain = client.chat().completions().create(chat(HAIKU, user).build())
        .choices().get(0).message().content().orElseThrow();
    String traceId = UUID.randomUUID().toString();
    ChatCompletionCreateParams params = chat(HAIKU, user)
        .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build())
        .putAdditionalHeader("x-keel-trace-id", traceId).build();

    List<ChatCompletionChunk> chunks = stream(params);

    assertThat(text(chunks)).isEqualTo(plain);
    CompletionUsage usage = chunks.get(chunks.size() - 1).usage().orElseThrow();
    assertThat(usage.promptTokens()).isEqualTo(100);
    assertThat(bodyCost(usage)).isEqualByComparingTo(HAIKU_COST);
    Observation g = keel.onlyObservation(traceId);
    assertThat(g.cost().total()).isEqualByComparingTo(expectedHaikuCost());
    assertThat(g.completionStartTime()).isNotNull();
  }

  @Test
  void create_claudeModelForcedTool_toolCallTranslatedToOpenAiShape() {
    ChatCompletionCreateParams params = chat(HAIKU, "Weather in Rome?").addTool(Weather.class)
        .toolChoice(forced("Weather")).maxCompletionTokens(200).build();

    ChatCompletion c = client.chat().completions().create(params);

    assertThat(c.choices().get(0).finishReason())
        .isEqualTo(ChatCompletion.Choice.FinishReason.TOOL_CALLS);
    ChatCompletionMessageToolCall call =
        c.choices().get(0).message().toolCalls().orElseThrow().get(0);
    assertThat(call.asFunction().function().name()).isEqualTo("Weather");
    assertWeatherArguments(call.asFunction().function().arguments());
  }

  @Test
  void embeddings_tracedAsEmbeddingWithCost() {
    EmbeddingCreateParams params = EmbeddingCreateParams.builder()
        .model("text-embedding-3-small").input("the quick brown fox").build();

    HttpResponseFor<CreateEmbeddingResponse> raw =
        client.embeddings().withRawResponse().create(params);
    CreateEmbeddingResponse r = raw.parse();

    assertThat(r.data()).hasSize(1);
    long tokens = r.usage().promptTokens();
    assertThat(tokens).isPositive();
    Cost expected = CostCalculator.bundled().cost("text-embedding-3-small",
        Usage.fromTotals(tokens, 0, 0, 0, 0, 0, 0, false)).orElseThrow();
    assertThat(new BigDecimal(raw.headers().values("x-keel-cost-usd").get(0)))
        .isEqualByComparingTo(expected.total());
    // text-embedding-3-small costs 0.02 USD per million tokens.
    assertThat(expected.total()).isEqualByComparingTo(
        new BigDecimal("0.00000002").multiply(BigDecimal.valueOf(tokens)));
    Observation o = keel.onlyObservation(raw.headers().values("x-keel-trace-id").get(0));
    assertThat(o.type()).isEqualTo(ObservationType.EMBEDDING);
    assertThat(o.model()).isEqualTo("text-embedding-3-small");
    assertThat(o.cost().total()).isEqualByComparingTo(expected.total());
    assertThat(o.usage().get(Usage.INPUT)).isEqualTo(tokens);
  }

  @Test
  void models_list_servesOpenAiAndAnthropicModels() {
    List<String> ids = client.models().list().data().stream().map(Model::id).toList();

    assertThat(ids).contains("gpt-4o", "gpt-4o-mini", HAIKU, "text-embedding-3-small");
  }

  private static ChatCompletionCreateParams.Builder chat(String model, String user) {
    return ChatCompletionCreateParams.builder().model(model).addUserMessage(user);
  }

  private static ChatCompletionNamedToolChoice forced(String name) {
    return ChatCompletionNamedToolChoice.builder().function(
        ChatCompletionNamedToolChoice.Function.builder().name(name).build()).build();
  }

  private static List<ChatCompletionChunk> stream(ChatCompletionCreateParams params) {
    List<ChatCompletionChunk> chunks = new ArrayList<>();
    try (StreamResponse<ChatCompletionChunk> s =
        client.chat().completions().createStreaming(params)) {
      s.stream().forEach(chunks::add);
    }
    return chunks;
  }

  private static String text(List<ChatCompletionChunk> chunks) {
    var sb = new StringBuilder();
    for (ChatCompletionChunk ch : chunks) {
      for (ChatCompletionChunk.Choice choice : ch.choices()) {
        choice.delta().content().ifPresent(sb::append);
      }
    }
    return sb.toString();
  }

  private static BigDecimal bodyCost(CompletionUsage usage) {
    JsonValue cost = usage._additionalProperties().get("cost");
    assertThat(cost).as("usage.cost in the body").isNotNull();
    return cost.convert(BigDecimal.class);
  }

  private static BigDecimal expectedHaikuCost() {
    return new CostCalculator(PriceTable.bundled())
        .cost(HAIKU, Usage.fromTotals(100, 20, 30, 0, 10, 0, 0, false)).orElseThrow().total();
  }

  private static void assertWeatherArguments(String arguments) {
    JsonNode args = KeelFixture.json(arguments);
    assertThat(args.isObject()).isTrue();
    assertThat(args.path("city").isTextual()).as("city is a string in %s", arguments).isTrue();
    assertThat(args.path("days").isIntegralNumber()).as("days is an integer in %s", arguments)
        .isTrue();
  }
}
