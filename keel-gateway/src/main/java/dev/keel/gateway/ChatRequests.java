package dev.keel.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keel.core.error.ErrorCode;
import dev.keel.core.error.KeelException;
import dev.keel.gateway.routing.RoutePlan;
import dev.keel.providers.Translation;
import dev.keel.providers.WireFormat;
import java.util.List;

/** Checks client chat requests and shapes them for the upstream and for the trace. */
final class ChatRequests {

  private static final List<String> PARAMETERS = List.of("temperature", "top_p", "top_k",
      "max_tokens", "max_completion_tokens", "stop", "stop_sequences", "seed",
      "presence_penalty", "frequency_penalty", "n", "tool_choice", "parallel_tool_calls",
      "reasoning_effort", "logprobs", "top_logprobs", "stream", Translation.DROP_PARAMS);

  private ChatRequests() {}

  /**
   * Returns the model; a 400 naming the field when the body is not a usable request: see
   * {@link RequestValidation} for the checks of each format.
   */
  static String validate(WireFormat format, ObjectNode body) {
    JsonNode model = body.get("model");
    if (model == null || model.isNull()) {
      throw invalid("model is required", "model");
    }
    if (!model.isTextual() || model.asText().isBlank()) {
      throw invalid("model must be a non-empty string, got: " + FieldChecks.show(model), "model");
    }
    if (format == WireFormat.OPENAI) {
      RequestValidation.openAi(body);
    } else {
      RequestValidation.anthropic(body);
    }
    return model.asText();
  }

  /** The OpenAI {@code user} field or Anthropic {@code metadata.user_id} sets the trace user. */
  static RequestMeta withBodyUser(WireFormat format, ObjectNode body, RequestMeta meta) {
    if (meta.userId() != null) {
      return meta;
    }
    JsonNode user = format == WireFormat.OPENAI ? body.get("user")
        : body.path("metadata").get("user_id");
    return user != null && user.isTextual() ? meta.withUserId(user.asText()) : meta;
  }

  /**
   * The body to send upstream: the client's own body, changed in place, with {@code model}
   * replaced when the formats match (callers take what they need from it first), else a
   * translation. OpenAI streams always ask for the usage chunk, which Keel needs to
   * price the call; it is dropped again for clients that did not ask for it.
   */
  static ObjectNode forUpstream(WireFormat client, WireFormat upstream, ObjectNode body,
      String upstreamModel, boolean stream) {
    ObjectNode out;
    if (client == upstream) {
      out = body;
      out.remove(Translation.DROP_PARAMS); // Keel's own switch; providers reject unknown fields
    } else if (client == WireFormat.OPENAI) {
      out = Translation.openAiToAnthropicRequest(body);
    } else {
      out = Translation.anthropicToOpenAiRequest(body);
    }
    out.put("model", upstreamModel);
    if (stream && upstream == WireFormat.OPENAI) {
      ObjectNode opts = out.with("stream_options");
      opts.put("include_usage", true);
    }
    return out;
  }

  /**
   * Refuses, before anything is reserved or sent, a request that some deployment of its plan
   * would need translated and that cannot be translated faithfully (a 400 naming the field),
   * unless it asks for {@code drop_params}. Any deployment of a route may end up answering, so
   * each must be able to honour the request.
   */
  static void checkTranslatable(WireFormat client, RoutePlan plan, ObjectNode body) {
    if (body.path(Translation.DROP_PARAMS).asBoolean(false)) {
      return;
    }
    boolean translated = plan.primary().stream().anyMatch(d -> d.endpoint().format() != client)
        || plan.fallbacks().stream().flatMap(f -> f.deployments().stream())
            .anyMatch(d -> d.endpoint().format() != client);
    if (!translated) {
      return;
    }
    if (client == WireFormat.OPENAI) {
      Translation.openAiToAnthropicRequest(body, false);
    } else {
      Translation.anthropicToOpenAiRequest(body, false);
    }
  }

  static boolean wantsStreamUsage(WireFormat client, ObjectNode body) {
    return client == WireFormat.ANTHROPIC
        || body.path("stream_options").path("include_usage").asBoolean(false);
  }

  /**
   * The request's conversation for the trace, as a list of messages; an Anthropic system prompt
   * comes first as a system message so both formats read alike.
   */
  static String inputOf(WireFormat format, ObjectNode body) {
    ArrayNode messages = (ArrayNode) body.get("messages");
    JsonNode system = body.get("system");
    if (format == WireFormat.ANTHROPIC && system != null && !system.isNull()) {
      ArrayNode withSystem = Gateway.JSON.createArrayNode();
      withSystem.addObject().put("role", "system").set("content", system);
      withSystem.addAll(messages);
      messages = withSystem;
    }
    JsonNode tools = body.get("tools");
    if (tools != null && tools.isArray() && !tools.isEmpty()) {
      ObjectNode in = Gateway.JSON.createObjectNode();
      in.set("messages", messages);
      in.set("tools", tools);
      return Gateway.toJson(in);
    }
    return Gateway.toJson(messages);
  }

  /**
   * The model parameters the client set, for the trace; {@code drop_params} among them, so a
   * trace shows when parameters it lists may have been left out for the provider.
   */
  static String parameters(ObjectNode body) {
    ObjectNode p = Gateway.JSON.createObjectNode();
    for (String name : PARAMETERS) {
      JsonNode v = body.get(name);
      if (v != null && !v.isNull()) {
        p.set(name, v);
      }
    }
    JsonNode rf = body.path("response_format").path("type");
    if (rf.isTextual()) {
      p.put("response_format", rf.asText());
    }
    return p.isEmpty() ? null : Gateway.toJson(p);
  }

  /** The answer for the trace: the assistant message in the client's format. */
  static String outputOf(WireFormat format, ObjectNode response) {
    if (format == WireFormat.OPENAI) {
      return Gateway.toJson(response.path("choices").path(0).path("message"));
    }
    ObjectNode msg = Gateway.JSON.createObjectNode().put("role", "assistant");
    msg.set("content", response.path("content"));
    return Gateway.toJson(msg);
  }

  static KeelException invalid(String message, String param) {
    return new KeelException(ErrorCode.INVALID_REQUEST, message, param, null);
  }
}
