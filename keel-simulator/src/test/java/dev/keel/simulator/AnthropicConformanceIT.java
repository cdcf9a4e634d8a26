package dev.keel.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.core.JsonValue;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.errors.AnthropicException;
import com.anthropic.errors.AnthropicIoException;
import com.anthropic.errors.BadRequestException;
import com.anthropic.errors.InternalServerException;
import com.anthropic.errors.NotFoundException;
import com.anthropic.errors.RateLimitException;
import com.anthropic.helpers.MessageAccumulator;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.anthropic.models.messages.StopReason;
import com.anthropic.models.messages.Tool;
import com.anthropic.models.messages.ToolChoiceTool;
import com.anthropic.models.messages.ToolUseBlock;
import com.anthropic.models.messages.Usage;
import com.anthropic.models.models.ModelInfo;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Drives the simulator's Anthropic side through the official Anthropic Java SDK. */
class AnthropicConformanceIT {

  private static final String HAIKU = "claude-3-5-haiku-20241022";
  private static final Tool WEATHER = Tool.builder().name("get_weather")
      .inputSchema(Tool.InputSchema.builder()
          .properties(JsonValue.from(Map.of("city", Map.of("type", "string"))))
          .addRequired("city").build())
      .build();

  private static Simulator sim;
  private static AnthropicClient client;

  @BeforeAll
  static void start() {
    sim = Simulator.start(SimulatorConfig.anyPort());
    client = clientWithKey("sk-ant-test", Duration.ofSeconds(30));
  }

  @AfterAll
  static void stop() {
    sim.close();
  }

  @Test
  void create_plain_textBlockEndTurnAndCountedUsage() {
    Message m = client.messages().create(msg(HAIKU, "What is the capital of France?"));

    assertThat(m.id()).startsWith("msg_");
    assertThat(m.content().get(0).asText().text()).isEqualTo(
        "Simulated answer from " + HAIKU + ": you asked about What is the capital of France.");
    assertThat(m.stopReason()).contains(StopReason.END_TURN);
    assertThat(m.usage().inputTokens()).isEqualTo(7);
    assertThat(m.usage().outputTokens()).isPositive();
  }

  @Test
  void create_usageDirectiveInSystemBlocks_renderedOnAnthropicWire() {
    MessageCreateParams params = MessageCreateParams.builder().model(HAIKU).maxTokens(100)
        .system("Be brief. [[sim usage prompt=120 cached=40 cache_write=10 completion=30"
            + " reasoning=12]]")
        .addUserMessage("Hi").build();

    Usage usage = client.messages().create(params).usage();

    assertThat(usage.inputTokens()).isEqualTo(70);
    assertThat(usage.cacheReadInputTokens()).contains(40L);
    assertThat(usage.cacheCreationInputTokens()).contains(10L);
    assertThat(usage.outputTokens()).isEqualTo(30);
  }

  @Test
  void createStreaming_eventSequenceAccumulatesToMessage() {
    List<String> types = new ArrayList<>();
    MessageAccumulator acc = MessageAccumulator.create();

    try (StreamResponse<RawMessageStreamEvent> s = client.messages().createStreaming(
        msg(HAIKU, "Hi [[sim reply=\"It ships today.\" usage prompt=9 completion=4]]"))) {
      s.stream().peek(e -> types.add(eventType(e))).forEach(acc::accumulate);
    }

    Message m = acc.message();
    assertThat(m.content().get(0).asText().text()).isEqualTo("It ships today.");
    assertThat(m.usage().outputTokens()).isEqualTo(4);
    assertThat(m.usage().inputTokens()).isEqualTo(9);
    assertThat(types).containsExactly("message_start", "content_block_start",
        "content_block_delta", "content_block_delta", "content_block_delta",
        "content_block_stop", "message_delta", "message_stop");
  }

  @Test
  void create_toolChoiceTool_toolUseBlockWithSchemaInstance() {
    MessageCreateParams params = MessageCreateParams.builder().model(HAIKU).maxTokens(100)
        .addUserMessage("Weather in Paris?").addTool(WEATHER)
        .toolChoice(ToolChoiceTool.builder().name("get_weather").build()).build();

    Message m = client.messages().create(params);

    ToolUseBlock use = m.content().get(0).asToolUse();
    assertThat(use.id()).startsWith("toolu_");
    assertThat(use.name()).isEqualTo("get_weather");
    assertThat(use._input().convert(Map.class)).isEqualTo(Map.of("city", "text"));
    assertThat(m.stopReason()).contains(StopReason.TOOL_USE);
  }

  @Test
  void createStreaming_toolsDirective_inputJsonDeltasAccumulate() {
    MessageAccumulator acc = MessageAccumulator.create();

    try (StreamResponse<RawMessageStreamEvent> s = client.messages().createStreaming(
        MessageCreateParams.builder().model(HAIKU).maxTokens(100).addTool(WEATHER)
            .addUserMessage("Go [[sim tools=get_weather({\"city\": \"Rome\"})]]").build())) {
      s.stream().forEach(acc::accumulate);
    }

    ToolUseBlock use = acc.message().content().get(0).asToolUse();
    assertThat(use._input().convert(Map.class)).isEqualTo(Map.of("city", "Rome"));
  }

  @Test
  void faults_eachAsTheSdkExceptionForItsStatus() {
    RateLimitException e429 = catchThrowableOfType(RateLimitException.class,
        () -> client.messages().create(msg(HAIKU, "Hi [[sim fault=429 retry_after=4]]")));
    InternalServerException e500 = catchThrowableOfType(InternalServerException.class,
        () -> client.messages().create(msg(HAIKU, "Hi [[sim fault=500]]")));
    InternalServerException e503 = catchThrowableOfType(InternalServerException.class,
        () -> client.messages().create(msg(HAIKU, "Hi [[sim fault=503]]")));

    assertThat(e429.headers().values("retry-after")).containsExactly("4");
    assertThat(e500.statusCode()).isEqualTo(500);
    assertThat(e503.statusCode()).isEqualTo(503);
  }

  @Test
  void faultContextLengthAndContentPolicy_invalidRequestErrors() {
    BadRequestException ctx = catchThrowableOfType(BadRequestException.class,
        () -> client.messages().create(msg(HAIKU, "Hi [[sim fault=context_length]]")));
    BadRequestException policy = catchThrowableOfType(BadRequestException.class,
        () -> client.messages().create(msg(HAIKU, "Hi [[sim fault=content_policy]]")));

    assertThat(ctx.getMessage()).contains("prompt is too long: 200001 tokens > 200000 maximum");
    assertThat(policy.getMessage()).contains("content filtering policy");
  }

  @Test
  void timesModelAndKey_scopeTheFault() {
    MessageCreateParams once = msg(HAIKU, "Hi [[sim fault=500 times=1 model=" + HAIKU + "]]");
    MessageCreateParams forKey = msg(HAIKU, "Hi [[sim fault=429 key=sk-ant-other]]");

    assertThatThrownBy(() -> client.messages().create(once))
        .isInstanceOf(InternalServerException.class);
    assertThatThrownBy(() -> clientWithKey("sk-ant-other", Duration.ofSeconds(30)).messages()
        .create(forKey)).isInstanceOf(RateLimitException.class);

    assertThat(client.messages().create(once).content()).hasSize(1);
    assertThat(client.messages().create(forKey).content()).hasSize(1);
  }

  @Test
  void faultTimeoutDisconnectMalformed_clientSideErrors() {
    AnthropicClient impatient = clientWithKey("sk-ant-test", Duration.ofSeconds(1));
    List<RawMessageStreamEvent> seen = new ArrayList<>();

    assertThatThrownBy(() -> impatient.messages().create(msg(HAIKU, "Hi [[sim fault=timeout]]")))
        .isInstanceOf(AnthropicIoException.class);
    assertThatThrownBy(() -> {
      try (StreamResponse<RawMessageStreamEvent> s = client.messages()
          .createStreaming(msg(HAIKU, "Hi there [[sim fault=disconnect after=3]]"))) {
        s.stream().forEach(seen::add);
      }
    }).isInstanceOf(AnthropicException.class);
    assertThatThrownBy(() -> client.messages().create(msg(HAIKU, "Hi [[sim fault=malformed]]")))
        .isInstanceOf(AnthropicException.class);

    assertThat(seen).hasSize(2);
  }

  @Test
  void unknownModel_notFound() {
    assertThatThrownBy(() -> client.messages().create(msg("claude-9", "Hi")))
        .isInstanceOf(NotFoundException.class);
  }

  @Test
  void models_list_anthropicShapeWithClaudeModels() {
    List<String> ids = client.models().list().data().stream().map(ModelInfo::id).toList();

    assertThat(ids).containsExactly("claude-3-5-haiku-20241022", "claude-3-5-sonnet-20241022",
        "claude-3-7-sonnet-20250219", "claude-sonnet-4-20250514");
  }

  private static String eventType(RawMessageStreamEvent e) {
    return e.isMessageStart() ? "message_start" : e.isContentBlockStart() ? "content_block_start"
        : e.isContentBlockDelta() ? "content_block_delta"
        : e.isContentBlockStop() ? "content_block_stop"
        : e.isMessageDelta() ? "message_delta" : "message_stop";
  }

  private static MessageCreateParams msg(String model, String user) {
    return MessageCreateParams.builder().model(model).maxTokens(100).addUserMessage(user)
        .build();
  }

  private static AnthropicClient clientWithKey(String key, Duration timeout) {
    return AnthropicOkHttpClient.builder().baseUrl(sim.baseUrl()).apiKey(key).maxRetries(0)
        .timeout(timeout).build();
  }
}
