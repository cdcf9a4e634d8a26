package dev.keel.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.core.JsonValue;
import com.anthropic.core.http.HttpResponseFor;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.errors.AnthropicException;
import com.anthropic.helpers.MessageAccumulator;
import com.anthropic.models.messages.ContentBlock;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.MessageDeltaUsage;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.anthropic.models.messages.StopReason;
import com.anthropic.models.messages.Tool;
import com.anthropic.models.messages.ToolChoiceTool;
import com.anthropic.models.messages.ToolUseBlock;
import com.fasterxml.jackson.databind.JsonNode;
import dev.keel.core.cost.CostCalculator;
import dev.keel.core.trace.Observation;
import dev.keel.core.usage.Usage;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The gateway's {@code /v1/messages} driven by the official Anthropic Java SDK. */
class AnthropicSdkIT {

  private static final String HAIKU = "claude-3-5-haiku-20241022";
  private static final String SONNET = "claude-3-5-sonnet-20241022";
  private static final String GPT_USAGE = "[[sim usage prompt=14 cached=4 completion=10]]";
  /** gpt-4o: 10 x 2.50 + 4 x 1.25 + 10 x 10.00 USD per million tokens. */
  private static final BigDecimal GPT_COST = new BigDecimal("0.00013");

  @TempDir
  static Path dir;
  private static KeelFixture keel;
  private static AnthropicClient client;

  @BeforeAll
  static void start() {
    keel = KeelFixture.start(dir);
    client = AnthropicOkHttpClient.builder().baseUrl(keel.baseUrl())
        .apiKey(KeelFixture.MASTER_KEY).maxRetries(0).build();
  }

  @AfterAll
  static void stop() {
    client.close();
    keel.close();
  }

  @Test
  void create_cacheWriteUsage_inputSideCostMatchesTheIssueFact() {
    MessageCreateParams params = messages(HAIKU,
        "Long document [[sim usage prompt=28436 cache_write=2000 completion=10]]")
        .system("You summarise.").build();

    HttpResponseFor<Message> raw = client.messages().withRawResponse().create(params);
    Message m = raw.parse();

    assertThat(m.usage().inputTokens()).isEqualTo(26_436);
    assertThat(m.usage().cacheCreationInputTokens()).contains(2_000L);
    assertThat(text(m)).contains("Long document");
    Observation g = keel.onlyObservation(raw.headers().values("x-keel-trace-id").get(0));
    assertThat(g.usage().details()).isEqualTo(Map.of(Usage.INPUT, 26_436L,
        Usage.INPUT_CACHE_CREATION, 2_000L, Usage.OUTPUT, 10L, Usage.TOTAL, 28_446L));
    BigDecimal inputSide = g.cost().details().get(Usage.INPUT)
        .add(g.cost().details().get(Usage.INPUT_CACHE_CREATION));
    assertThat(inputSide).isEqualByComparingTo("0.0231488");
    assertThat(g.cost().total()).isEqualByComparingTo("0.0231888");
    assertThat(new BigDecimal(raw.headers().values("x-keel-cost-usd").get(0)))
        .isEqualByComparingTo("0.0231888");
    assertThat(usageCost(m.usage()._additionalProperties())).isEqualByComparingTo("0.0231888");
    assertThat(KeelFixture.json(g.input()).get(0).path("role").asText()).isEqualTo("system");
  }

  @Test
  void createStreaming_claude_accumulatesToPlainTextWithCostInMessageDelta() {
    String user = "Explain tides [[sim usage prompt=40 cached=10 completion=12]]";
    String plain = text(client.messages().create(messages(SONNET, user).build()));
    String traceId = UUID.randomUUID().toString();
    MessageCreateParams params = messages(SONNET, user)
        .putAdditionalHeader("x-keel-trace-id", traceId).build();

    List<RawMessageStreamEvent> events = stream(params);

    Message m = accumulate(events);
    assertThat(text(m)).isEqualTo(plain);
    MessageDeltaUsage delta = events.stream().flatMap(e -> e.messageDelta().stream())
        .reduce((a, b) -> b).orElseThrow().usage();
    BigDecimal expected = CostCalculator.bundled().cost(SONNET,
        Usage.fromTotals(40, 10, 0, 0, 12, 0, 0, false)).orElseThrow().total();
    assertThat(usageCost(delta._additionalProperties())).isEqualByComparingTo(expected);
    Observation g = keel.onlyObservation(traceId);
    assertThat(g.completionStartTime()).isNotNull().isAfterOrEqualTo(g.startTime());
    assertThat(g.cost().total()).isEqualByComparingTo(expected);
    assertThat(g.usage().get(Usage.INPUT_CACHED)).isEqualTo(10);
  }

  @Test
  void createStreaming_upstreamDisconnects_sdkRaisesInsteadOfEndingQuietly() {
    MessageCreateParams params =
        messages(HAIKU, "Tell a long story [[sim fault=disconnect after=2]]").build();

    Throwable thrown = catchThrowable(() -> stream(params));

    assertThat(thrown).isInstanceOf(AnthropicException.class);
  }

  @Test
  void create_forcedTool_toolUseInputMatchesTheSchema() {
    MessageCreateParams params = messages(HAIKU, "Weather in Oslo?").addTool(weatherTool())
        .toolChoice(ToolChoiceTool.builder().name("get_weather").build()).build();

    Message m = client.messages().create(params);

    assertThat(m.stopReason()).contains(StopReason.TOOL_USE);
    assertWeatherInput(toolUse(m));
  }

  @Test
  void create_gpt4o_translatedToAnthropicShapeAndPricedAtOpenAiRates() {
    MessageCreateParams params = messages("gpt-4o", "Describe Keel " + GPT_USAGE).build();

    HttpResponseFor<Message> raw = client.messages().withRawResponse().create(params);
    Message m = raw.parse();

    assertThat(text(m)).contains("Describe Keel");
    assertThat(m.stopReason()).contains(StopReason.END_TURN);
    assertThat(m.usage().inputTokens()).isEqualTo(10);
    assertThat(m.usage().cacheReadInputTokens()).contains(4L);
    assertThat(m.usage().outputTokens()).isEqualTo(10);
    assertThat(new BigDecimal(raw.headers().values("x-keel-cost-usd").get(0)))
        .isEqualByComparingTo(GPT_COST);
    assertThat(usageCost(m.usage()._additionalProperties())).isEqualByComparingTo(GPT_COST);
    Observation g = keel.onlyObservation(raw.headers().values("x-keel-trace-id").get(0));
    assertThat(g.model()).isEqualTo("gpt-4o");
    assertThat(g.usage().details()).isEqualTo(Map.of(Usage.INPUT, 10L, Usage.INPUT_CACHED, 4L,
        Usage.OUTPUT, 10L, Usage.TOTAL, 24L));
    assertThat(g.cost().total()).isEqualByComparingTo(GPT_COST);
  }

  @Test
  void createStreaming_gpt4o_translatedEventsWithCostInMessageDelta() {
    String user = "Count to five " + GPT_USAGE;
    String plain = text(client.messages().create(messages("gpt-4o", user).build()));
    String traceId = UUID.randomUUID().toString();
    MessageCreateParams params = messages("gpt-4o", user)
        .putAdditionalHeader("x-keel-trace-id", traceId).build();

    List<RawMessageStreamEvent> events = stream(params);

    assertThat(events.get(0).isMessageStart()).isTrue();
    assertThat(events.get(events.size() - 1).isMessageStop()).isTrue();
    Message m = accumulate(events);
    assertThat(text(m)).isEqualTo(plain);
    assertThat(m.usage().outputTokens()).isEqualTo(10);
    MessageDeltaUsage delta = events.stream().flatMap(e -> e.messageDelta().stream())
        .reduce((a, b) -> b).orElseThrow().usage();
    assertThat(usageCost(delta._additionalProperties())).isEqualByComparingTo(GPT_COST);
    assertThat(keel.onlyObservation(traceId).cost().total()).isEqualByComparingTo(GPT_COST);
  }

  @Test
  void create_gpt4oForcedTool_toolUseBlockTranslatedFromToolCall() {
    MessageCreateParams params = messages("gpt-4o", "Weather in Rome?").addTool(weatherTool())
        .toolChoice(ToolChoiceTool.builder().name("get_weather").build()).build();

    Message m = client.messages().create(params);

    assertThat(m.stopReason()).contains(StopReason.TOOL_USE);
    ToolUseBlock use = toolUse(m);
    assertThat(use.id()).isNotBlank();
    assertWeatherInput(use);
  }

  @Test
  void createStreaming_gpt4oForcedTool_accumulatesToToolUse() {
    MessageCreateParams params = messages("gpt-4o", "Weather in Bergen?").addTool(weatherTool())
        .toolChoice(ToolChoiceTool.builder().name("get_weather").build()).build();

    Message m = accumulate(stream(params));

    assertThat(m.stopReason()).contains(StopReason.TOOL_USE);
    assertWeatherInput(toolUse(m));
  }

  private static MessageCreateParams.Builder messages(String model, String user) {
    return MessageCreateParams.builder().model(model).maxTokens(256).addUserMessage(user);
  }

  private static Tool weatherTool() {
    return Tool.builder().name("get_weather").description("Weather forecast for a city")
        .inputSchema(Tool.InputSchema.builder()
            .properties(Tool.InputSchema.Properties.builder()
                .putAdditionalProperty("city", JsonValue.from(Map.of("type", "string")))
                .putAdditionalProperty("days", JsonValue.from(Map.of("type", "integer")))
                .build())
            .required(List.of("city", "days")).build())
        .build();
  }

  private static List<RawMessageStreamEvent> stream(MessageCreateParams params) {
    List<RawMessageStreamEvent> events = new ArrayList<>();
    try (StreamResponse<RawMessageStreamEvent> s = client.messages().createStreaming(params)) {
      s.stream().forEach(events::add);
    }
    return events;
  }

  private static Message accumulate(List<RawMessageStreamEvent> events) {
    MessageAccumulator acc = MessageAccumulator.create();
    events.forEach(acc::accumulate);
    return acc.message();
  }

  private static String text(Message m) {
    return m.content().stream().flatMap(b -> b.text().stream()).map(t -> t.text())
        .collect(Collectors.joining());
  }

  private static ToolUseBlock toolUse(Message m) {
    return m.content().stream().filter(ContentBlock::isToolUse).findFirst()
        .orElseThrow(() -> new AssertionError("no tool_use block in " + m.content()))
        .toolUse().orElseThrow();
  }

  private static void assertWeatherInput(ToolUseBlock use) {
    assertThat(use.name()).isEqualTo("get_weather");
    JsonNode input = use._input().convert(JsonNode.class);
    assertThat(input.path("city").isTextual()).as("city is a string in %s", input).isTrue();
    assertThat(input.path("days").isIntegralNumber()).as("days is an integer in %s", input)
        .isTrue();
  }

  private static BigDecimal usageCost(Map<String, JsonValue> usageExtras) {
    JsonValue cost = usageExtras.get("cost");
    assertThat(cost).as("usage.cost").isNotNull();
    return cost.convert(BigDecimal.class);
  }
}
