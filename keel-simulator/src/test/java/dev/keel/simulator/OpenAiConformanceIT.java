package dev.keel.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.helpers.ChatCompletionAccumulator;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionMessageToolCall;
import com.openai.models.chat.completions.ChatCompletionNamedToolChoice;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.chat.completions.StructuredChatCompletion;
import com.openai.models.chat.completions.StructuredChatCompletionCreateParams;
import com.openai.models.completions.CompletionUsage;
import com.openai.models.embeddings.CreateEmbeddingResponse;
import com.openai.models.embeddings.EmbeddingCreateParams;
import com.openai.models.models.Model;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Drives the simulator's OpenAI side through the official OpenAI Java SDK. */
class OpenAiConformanceIT {

  private static Simulator sim;
  private static OpenAIClient client;

  record Weather(String city, int days) {}

  @BeforeAll
  static void start() {
    sim = Simulator.start(SimulatorConfig.anyPort());
    client = OpenAIOkHttpClient.builder().baseUrl(sim.baseUrl() + "/v1").apiKey("sk-test")
        .maxRetries(0).build();
  }

  @AfterAll
  static void stop() {
    sim.close();
  }

  @Test
  void create_plain_answersDeterministicSentenceAboutTheQuestion() {
    ChatCompletionCreateParams params = chat("gpt-4o", "What is the capital of France?");

    ChatCompletion first = client.chat().completions().create(params);
    ChatCompletion second = client.chat().completions().create(params);

    String text = first.choices().get(0).message().content().orElseThrow();
    assertThat(text).isEqualTo(
        "Simulated answer from gpt-4o: you asked about What is the capital of France.");
    assertThat(second.choices().get(0).message().content()).contains(text);
    assertThat(first.id()).startsWith("chatcmpl-");
    assertThat(first.model()).isEqualTo("gpt-4o");
    assertThat(first.choices().get(0).finishReason())
        .isEqualTo(ChatCompletion.Choice.FinishReason.STOP);
    assertThat(first.usage().orElseThrow().promptTokens()).isEqualTo(7);
  }

  @Test
  void create_usageDirective_renderedOnOpenAiWire() {
    ChatCompletionCreateParams params = ChatCompletionCreateParams.builder().model("gpt-4o-mini")
        .addSystemMessage("Be brief. [[sim usage prompt=120 cached=40 cache_write=10"
            + " completion=30 reasoning=12]]")
        .addUserMessage("Hi").build();

    CompletionUsage usage = client.chat().completions().create(params).usage().orElseThrow();

    assertThat(usage.promptTokens()).isEqualTo(120);
    assertThat(usage.completionTokens()).isEqualTo(30);
    assertThat(usage.totalTokens()).isEqualTo(150);
    assertThat(usage.promptTokensDetails().orElseThrow().cachedTokens()).contains(40L);
    assertThat(usage.completionTokensDetails().orElseThrow().reasoningTokens()).contains(12L);
  }

  @Test
  void create_replyDirective_exactTextAndDirectiveNotCounted() {
    ChatCompletion c = client.chat().completions()
        .create(chat("gpt-4.1", "Hello [[sim reply=\"It ships today.\"]]"));

    assertThat(c.choices().get(0).message().content()).contains("It ships today.");
    assertThat(c.usage().orElseThrow().promptTokens()).isEqualTo(1);
    assertThat(c.usage().orElseThrow().completionTokens()).isEqualTo(4);
  }

  @Test
  void createStreaming_includeUsage_chunksAccumulateToAnswerAndUsage() {
    ChatCompletionCreateParams params = ChatCompletionCreateParams.builder().model("gpt-4o")
        .addUserMessage("Tell me [[sim reply=\"One two three.\" usage prompt=9 completion=3]]")
        .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build())
        .build();
    ChatCompletionAccumulator acc = ChatCompletionAccumulator.create();
    List<ChatCompletionChunk> chunks = new ArrayList<>();

    try (StreamResponse<ChatCompletionChunk> stream =
        client.chat().completions().createStreaming(params)) {
      stream.stream().peek(chunks::add).forEach(acc::accumulate);
    }

    ChatCompletion c = acc.chatCompletion();
    assertThat(c.choices().get(0).message().content()).contains("One two three.");
    assertThat(c.usage().orElseThrow().promptTokens()).isEqualTo(9);
    assertThat(chunks.get(chunks.size() - 1).choices()).isEmpty();
    assertThat(chunks).hasSize(6);
  }

  @Test
  void create_toolChoiceNamed_callsThatToolWithSchemaInstance() {
    ChatCompletionCreateParams params = ChatCompletionCreateParams.builder().model("gpt-4o")
        .addUserMessage("Weather in Paris?").addTool(Weather.class)
        .toolChoice(ChatCompletionNamedToolChoice.builder().function(
            ChatCompletionNamedToolChoice.Function.builder().name("Weather").build()).build())
        .build();

    ChatCompletion c = client.chat().completions().create(params);

    ChatCompletionMessageToolCall call =
        c.choices().get(0).message().toolCalls().orElseThrow().get(0);
    assertThat(call.asFunction().id()).startsWith("call_");
    assertThat(call.asFunction().function().name()).isEqualTo("Weather");
    assertThat(call.asFunction().function().arguments(Weather.class))
        .isEqualTo(new Weather("text", 0));
    assertThat(c.choices().get(0).finishReason())
        .isEqualTo(ChatCompletion.Choice.FinishReason.TOOL_CALLS);
  }

  @Test
  void createStreaming_toolsDirectiveParallel_streamsEveryCall() {
    ChatCompletionCreateParams params = ChatCompletionCreateParams.builder().model("gpt-4o")
        .addUserMessage("Plan [[sim tools=Weather({\"city\":\"Oslo\",\"days\":2}),Weather"
            + " parallel=true]]").addTool(Weather.class).build();
    ChatCompletionAccumulator acc = ChatCompletionAccumulator.create();

    try (StreamResponse<ChatCompletionChunk> stream =
        client.chat().completions().createStreaming(params)) {
      stream.stream().forEach(acc::accumulate);
    }

    List<ChatCompletionMessageToolCall> calls =
        acc.chatCompletion().choices().get(0).message().toolCalls().orElseThrow();
    assertThat(calls).extracting(t -> t.asFunction().function().arguments(Weather.class))
        .containsExactly(new Weather("Oslo", 2), new Weather("text", 0));
  }

  @Test
  void create_responseFormatSchema_answerParsesIntoTheClass() {
    StructuredChatCompletionCreateParams<Weather> params = ChatCompletionCreateParams.builder()
        .model("gpt-4o").addUserMessage("Weather?").responseFormat(Weather.class).build();

    StructuredChatCompletion<Weather> c = client.chat().completions().create(params);

    assertThat(c.choices().get(0).message().content()).contains(new Weather("text", 0));
  }

  @Test
  void create_jsonInvalid_violatesTheSchema() {
    ChatCompletionCreateParams params = ChatCompletionCreateParams.builder().model("gpt-4o")
        .addUserMessage("Weather? [[sim json=invalid]]").responseFormat(Weather.class).build()
        .rawParams();

    String text = client.chat().completions().create(params).choices().get(0).message()
        .content().orElseThrow();

    assertThat(text).isEqualTo("{\"city\":42,\"days\":\"not a integer\"}");
  }

  @Test
  void create_logprobs_topLogprobsPerToken() {
    ChatCompletionCreateParams params = ChatCompletionCreateParams.builder().model("gpt-4o")
        .addUserMessage("Hi [[sim reply=\"Hello there\"]]").logprobs(true).topLogprobs(3)
        .build();

    ChatCompletion c = client.chat().completions().create(params);

    var content = c.choices().get(0).logprobs().orElseThrow().content().orElseThrow();
    assertThat(content).extracting(t -> t.token()).containsExactly("Hello", " there");
    assertThat(content.get(0).topLogprobs()).hasSize(3);
    assertThat(content.get(0).logprob()).isLessThanOrEqualTo(0);
  }

  @Test
  void embeddings_sameTextSameUnitVector_dimensionsHonoured() {
    EmbeddingCreateParams params = EmbeddingCreateParams.builder()
        .model("text-embedding-3-small").input("the same text").dimensions(256).build();

    CreateEmbeddingResponse a = client.embeddings().create(params);
    CreateEmbeddingResponse b = client.embeddings().create(params);

    List<Float> v = a.data().get(0).embedding();
    assertThat(v).hasSize(256).isEqualTo(b.data().get(0).embedding());
    double norm = Math.sqrt(v.stream().mapToDouble(f -> f * f).sum());
    assertThat(norm).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-5));
    assertThat(a.usage().promptTokens()).isEqualTo(3);
  }

  @Test
  void models_list_openAiShapeWithServedModels() {
    List<String> ids = client.models().list().data().stream().map(Model::id).toList();

    assertThat(ids).contains("gpt-4o", "o3-mini", "text-embedding-3-large")
        .doesNotContain("claude-3-5-haiku-20241022");
  }

  static ChatCompletionCreateParams chat(String model, String user) {
    return ChatCompletionCreateParams.builder().model(model).addUserMessage(user).build();
  }
}
