package dev.keel.sdk.langchain4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.keel.sdk.KeelClient;
import dev.keel.sdk.Trace;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.listener.ChatModelListener;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.FinishReason;
import dev.langchain4j.model.output.TokenUsage;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class KeelChatModelListenerTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final List<JsonNode> events = new CopyOnWriteArrayList<>();
  private HttpServer server;
  private KeelClient keel;

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/api/public/ingestion", exchange -> {
      JSON.readTree(exchange.getRequestBody()).path("batch").forEach(events::add);
      byte[] ok = "{\"successes\":[],\"errors\":[]}".getBytes();
      exchange.sendResponseHeaders(207, ok.length);
      exchange.getResponseBody().write(ok);
      exchange.close();
    });
    server.start();
    keel = KeelClient.builder().baseUrl("http://127.0.0.1:" + server.getAddress().getPort())
        .publicKey("pk-lf-x").secretKey("sk-lf-x").shutdownHook(false).build();
  }

  @AfterEach
  void stop() {
    keel.close();
    server.stop(0);
  }

  @Test
  void chat_insideTrace_recordedAsGenerationWithUsageAndMessages() {
    ChatModel model = new FixedModel(new KeelChatModelListener(keel), null);
    String traceId;

    try (Trace trace = keel.trace("support")) {
      traceId = trace.id();
      model.chat(ChatRequest.builder().modelName("gpt-4o-mini").temperature(0.3)
          .maxOutputTokens(100).messages(SystemMessage.from("Be brief."),
              UserMessage.from("Where is my order?")).build());
    }
    keel.flush(Duration.ofSeconds(5));

    JsonNode gen = generation();
    assertThat(gen.path("traceId").asText()).isEqualTo(traceId);
    assertThat(gen.path("name").asText()).isEqualTo("chat");
    assertThat(gen.path("model").asText()).isEqualTo("gpt-4o-mini-2024-07-18");
    assertThat(gen.path("modelParameters").path("temperature").asDouble()).isEqualTo(0.3);
    assertThat(gen.path("modelParameters").path("max_tokens").asInt()).isEqualTo(100);
    assertThat(gen.path("input").toString()).isEqualTo("[{\"role\":\"system\",\"content\":"
        + "\"Be brief.\"},{\"role\":\"user\",\"content\":\"Where is my order?\"}]");
    assertThat(gen.path("output").toString())
        .isEqualTo("{\"role\":\"assistant\",\"content\":\"It ships today.\"}");
    assertThat(gen.path("usageDetails").toString())
        .isEqualTo("{\"input\":11,\"output\":4,\"total\":15}");
    assertThat(gen.path("metadata").path("finish_reason").asText()).isEqualTo("stop");
    assertThat(gen.path("metadata").path("provider").asText()).isEqualTo("OTHER");
    assertThat(gen.path("endTime").isTextual()).isTrue();
  }

  @Test
  void chat_withoutTrace_getsATraceOfItsOwn() {
    ChatModel model = new FixedModel(new KeelChatModelListener(keel, "answer"), null);

    model.chat(ChatRequest.builder().modelName("m").messages(UserMessage.from("hi")).build());
    keel.flush(Duration.ofSeconds(5));

    JsonNode gen = generation();
    assertThat(gen.path("name").asText()).isEqualTo("answer");
    List<String> traceIds = new ArrayList<>();
    events.stream().filter(e -> e.path("type").asText().equals("trace-create"))
        .forEach(e -> traceIds.add(e.path("body").path("id").asText()));
    assertThat(traceIds).isNotEmpty().containsOnly(gen.path("traceId").asText());
  }

  @Test
  void chat_modelFails_generationAtErrorLevelAndErrorRethrown() {
    ChatModel model = new FixedModel(new KeelChatModelListener(keel),
        new IllegalStateException("upstream 503"));

    try (Trace trace = keel.trace("support")) {
      assertThatThrownBy(() -> model.chat(ChatRequest.builder().modelName("m")
          .messages(UserMessage.from("hi")).build())).hasMessageContaining("upstream 503");
    }
    keel.flush(Duration.ofSeconds(5));

    JsonNode gen = generation();
    assertThat(gen.path("level").asText()).isEqualTo("ERROR");
    assertThat(gen.path("statusMessage").asText()).contains("upstream 503");
  }

  private JsonNode generation() {
    return events.stream().filter(e -> e.path("type").asText().equals("generation-create"))
        .map(e -> e.path("body")).findFirst()
        .orElseThrow(() -> new AssertionError("no generation in " + events));
  }

  /** A chat model answering with a fixed reply (or failure), calling its listeners as any does. */
  private record FixedModel(ChatModelListener listener, RuntimeException failure)
      implements ChatModel {

    @Override
    public ChatResponse doChat(ChatRequest request) {
      if (failure != null) {
        throw failure;
      }
      return ChatResponse.builder().aiMessage(AiMessage.from("It ships today."))
          .modelName("gpt-4o-mini-2024-07-18").tokenUsage(new TokenUsage(11, 4))
          .finishReason(FinishReason.STOP).build();
    }

    @Override
    public List<ChatModelListener> listeners() {
      return List.of(listener);
    }
  }
}
