package dev.keel.sdk.langchain4j;

import dev.keel.sdk.KeelClient;
import dev.keel.sdk.Observation;
import dev.keel.sdk.ObservationType;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.listener.ChatModelErrorContext;
import dev.langchain4j.model.chat.listener.ChatModelListener;
import dev.langchain4j.model.chat.listener.ChatModelRequestContext;
import dev.langchain4j.model.chat.listener.ChatModelResponseContext;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.TokenUsage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Traces every call of a LangChain4j chat model as a GENERATION: model, parameters, messages,
 * output, token usage and errors. Register it on the model builder
 * ({@code .listeners(List.of(new KeelChatModelListener(keel)))}); calls then nest under the
 * current trace or span, or get a trace of their own when none is open.
 *
 * <p>The generation is not made current, since a streaming model reports its response on
 * another thread; the request and response are matched through the context's attributes.
 * Nothing here throws into LangChain4j.
 */
public final class KeelChatModelListener implements ChatModelListener {

  private static final Object GENERATION_KEY = new Object();

  private final KeelClient client;
  private final String name;

  /** Records generations named {@code chat}. */
  public KeelChatModelListener(KeelClient client) {
    this(client, "chat");
  }

  /** Records generations with the given name. */
  public KeelChatModelListener(KeelClient client, String name) {
    this.client = Objects.requireNonNull(client, "client");
    this.name = name == null ? "chat" : name;
  }

  @Override
  public void onRequest(ChatModelRequestContext context) {
    try {
      Observation generation = start(context.chatRequest());
      if (context.modelProvider() != null) {
        generation.metadata("provider", context.modelProvider().name());
      }
      context.attributes().put(GENERATION_KEY, generation);
    } catch (RuntimeException e) {
      // A tracing failure must not fail the application's model call.
    }
  }

  @Override
  public void onResponse(ChatModelResponseContext context) {
    try {
      Observation generation = generationOf(context.attributes(), context.chatRequest());
      ChatResponse response = context.chatResponse();
      if (response != null) {
        record(generation, response);
      }
      generation.end();
    } catch (RuntimeException e) {
      // As in onRequest: never fail the call over tracing.
    }
  }

  @Override
  public void onError(ChatModelErrorContext context) {
    try {
      Observation generation = generationOf(context.attributes(), context.chatRequest());
      generation.recordError(context.error()).end();
    } catch (RuntimeException e) {
      // As in onRequest: never fail the call over tracing.
    }
  }

  private Observation start(ChatRequest request) {
    Observation generation = client.startDetached(ObservationType.GENERATION, name);
    if (request == null) {
      return generation;
    }
    generation.model(request.modelName()).modelParameters(parameters(request));
    return generation.input(messages(request.messages()));
  }

  /** The generation onRequest made, or a new one if the listener missed the request. */
  private Observation generationOf(Map<Object, Object> attributes, ChatRequest request) {
    Object stored = attributes == null ? null : attributes.get(GENERATION_KEY);
    return stored instanceof Observation o ? o : start(request);
  }

  private static void record(Observation generation, ChatResponse response) {
    if (response.modelName() != null) {
      generation.model(response.modelName());
    }
    if (response.aiMessage() != null) {
      generation.output(message(response.aiMessage()));
    }
    TokenUsage usage = response.tokenUsage();
    if (usage != null) {
      Map<String, Long> details = new LinkedHashMap<>();
      putCount(details, "input", usage.inputTokenCount());
      putCount(details, "output", usage.outputTokenCount());
      putCount(details, "total", usage.totalTokenCount());
      generation.usage(details);
    }
    if (response.finishReason() != null) {
      generation.metadata("finish_reason", response.finishReason().name().toLowerCase(
          Locale.ROOT));
    }
    if (response.id() != null) {
      generation.metadata("response_id", response.id());
    }
  }

  private static Map<String, Object> parameters(ChatRequest request) {
    Map<String, Object> p = new LinkedHashMap<>();
    putIfSet(p, "temperature", request.temperature());
    putIfSet(p, "top_p", request.topP());
    putIfSet(p, "top_k", request.topK());
    putIfSet(p, "max_tokens", request.maxOutputTokens());
    putIfSet(p, "frequency_penalty", request.frequencyPenalty());
    putIfSet(p, "presence_penalty", request.presencePenalty());
    if (request.stopSequences() != null && !request.stopSequences().isEmpty()) {
      p.put("stop", request.stopSequences());
    }
    if (request.toolSpecifications() != null && !request.toolSpecifications().isEmpty()) {
      p.put("tools", request.toolSpecifications().stream().map(t -> t.name()).toList());
    }
    return p;
  }

  private static List<Map<String, Object>> messages(List<ChatMessage> messages) {
    List<Map<String, Object>> out = new ArrayList<>();
    if (messages != null) {
      messages.forEach(m -> out.add(message(m)));
    }
    return out;
  }

  /** A message in the OpenAI chat shape that Keel and Langfuse render. */
  private static Map<String, Object> message(ChatMessage m) {
    Map<String, Object> out = new LinkedHashMap<>();
    switch (m) {
      case SystemMessage s -> put(out, "system", s.text());
      case UserMessage u -> put(out, "user", u.hasSingleText() ? u.singleText()
          : String.valueOf(u.contents()));
      case AiMessage a -> {
        put(out, "assistant", a.text());
        if (a.hasToolExecutionRequests()) {
          out.put("tool_calls", a.toolExecutionRequests().stream()
              .map(KeelChatModelListener::toolCall).toList());
        }
      }
      case ToolExecutionResultMessage t -> {
        put(out, "tool", t.text());
        out.put("tool_call_id", t.id());
        out.put("name", t.toolName());
      }
      default -> put(out, m.type().name().toLowerCase(Locale.ROOT), String.valueOf(m));
    }
    return out;
  }

  private static Map<String, Object> toolCall(ToolExecutionRequest r) {
    Map<String, Object> call = new LinkedHashMap<>();
    call.put("id", r.id());
    call.put("type", "function");
    call.put("function", Map.of("name", String.valueOf(r.name()),
        "arguments", String.valueOf(r.arguments())));
    return call;
  }

  private static void put(Map<String, Object> out, String role, String content) {
    out.put("role", role);
    out.put("content", content);
  }

  private static void putIfSet(Map<String, Object> p, String key, Object value) {
    if (value != null) {
      p.put(key, value);
    }
  }

  private static void putCount(Map<String, Long> details, String key, Integer count) {
    if (count != null) {
      details.put(key, count.longValue());
    }
  }
}
