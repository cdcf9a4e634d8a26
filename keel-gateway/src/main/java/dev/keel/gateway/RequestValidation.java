package dev.keel.gateway;

import static dev.keel.gateway.FieldChecks.bool;
import static dev.keel.gateway.FieldChecks.integer;
import static dev.keel.gateway.FieldChecks.invalid;
import static dev.keel.gateway.FieldChecks.missing;
import static dev.keel.gateway.FieldChecks.number;
import static dev.keel.gateway.FieldChecks.object;
import static dev.keel.gateway.FieldChecks.oneOf;
import static dev.keel.gateway.FieldChecks.positiveInt;
import static dev.keel.gateway.FieldChecks.present;
import static dev.keel.gateway.FieldChecks.rejected;
import static dev.keel.gateway.FieldChecks.requiredObject;
import static dev.keel.gateway.FieldChecks.requiredString;
import static dev.keel.gateway.FieldChecks.string;
import static dev.keel.gateway.FieldChecks.strings;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Checks a chat request's fields against the types and ranges the OpenAI Chat Completions and
 * Anthropic Messages APIs document, and fails with a 400 naming the field and its value.
 *
 * <p>Keel must check before it routes: a request translated to the other provider's format
 * cannot carry a value the translator does not understand, so without these checks a bad
 * field would be dropped or changed silently instead of refused. Fields neither API knows are
 * let through, and so are content part and block types other than the documented ones
 * (providers add both often); the documented ones are checked in full. Model and body shape
 * are checked by {@link ChatRequests#validate}. What passes here may still be refused when the
 * request must be translated for the other format and a field has no faithful twin there
 * ({@link ChatRequests#checkTranslatable}).
 */
final class RequestValidation {

  private static final List<String> OPENAI_ROLES =
      List.of("system", "developer", "user", "assistant", "tool", "function");
  private static final List<String> ANTHROPIC_ROLES = List.of("user", "assistant");
  private static final List<String> OPENAI_TOOL_CHOICES = List.of("none", "auto", "required");
  private static final List<String> ANTHROPIC_TOOL_CHOICES =
      List.of("auto", "any", "tool", "none");
  private static final Pattern FUNCTION_NAME = Pattern.compile("[a-zA-Z0-9_-]{1,64}");
  private static final String CONTENT_RULE = "a string or an array of content parts";
  private static final String BLOCKS_RULE = "a string or an array of content blocks";

  private RequestValidation() {}

  /** Checks an OpenAI chat completion request. */
  static void openAi(ObjectNode body) {
    JsonNode messages = messages(body);
    for (int i = 0; i < messages.size(); i++) {
      OpenAiMessages.check(messages.get(i), "messages[" + i + "]");
    }
    openAiTools(body);
    openAiToolChoice(body.get("tool_choice"));
    openAiSampling(body);
    openAiOutput(body);
    bool(body, "", "drop_params");
  }

  /** Checks an Anthropic Messages request. */
  static void anthropic(ObjectNode body) {
    if (!present(body.get("max_tokens"))) {
      throw missing("max_tokens", ": the Anthropic Messages API needs the most tokens to "
          + "generate, for example \"max_tokens\": 1024");
    }
    positiveInt(body, "max_tokens");
    JsonNode messages = messages(body);
    for (int i = 0; i < messages.size(); i++) {
      anthropicMessage(messages.get(i), "messages[" + i + "]");
    }
    anthropicSystem(body.get("system"));
    number(body, "temperature", 0, 1);
    number(body, "top_p", 0, 1);
    integer(body, "", "top_k", 0, Integer.MAX_VALUE, "a non-negative integer");
    strings(body, "stop_sequences", Integer.MAX_VALUE);
    bool(body, "", "stream");
    anthropicTools(body);
    anthropicToolChoice(body.get("tool_choice"));
    object(body, "", "metadata");
    string(body.path("metadata"), "metadata", "user_id");
    bool(body, "", "drop_params");
  }

  /** The messages array, required and not empty in both APIs. */
  private static JsonNode messages(ObjectNode body) {
    JsonNode messages = body.get("messages");
    if (!present(messages)) {
      throw missing("messages", "");
    }
    if (!messages.isArray()) {
      throw invalid("messages", "an array", messages);
    }
    if (messages.isEmpty()) {
      throw rejected("messages", "messages must not be empty");
    }
    return messages;
  }

  private static void openAiTools(ObjectNode body) {
    JsonNode tools = body.get("tools");
    if (!present(tools)) {
      return;
    }
    if (!tools.isArray()) {
      throw invalid("tools", "an array of tools", tools);
    }
    for (int i = 0; i < tools.size(); i++) {
      String at = "tools[" + i + "]";
      JsonNode t = tools.get(i);
      if (!t.isObject()) {
        throw invalid(at, "an object like {\"type\": \"function\", \"function\": {...}}", t);
      }
      if (!"function".equals(requiredString(t, at, "type"))) {
        throw invalid(at + ".type", "\"function\"", t.get("type"));
      }
      JsonNode fn = requiredObject(t, at, "function");
      functionName(fn, at + ".function");
      string(fn, at + ".function", "description");
      object(fn, at + ".function", "parameters");
      bool(fn, at + ".function", "strict");
    }
  }

  private static void functionName(JsonNode fn, String at) {
    String name = requiredString(fn, at, "name");
    if (!FUNCTION_NAME.matcher(name).matches()) {
      throw invalid(at + ".name", "1 to 64 letters, digits, underscores or dashes",
          fn.get("name"));
    }
  }

  private static void openAiToolChoice(JsonNode choice) {
    if (!present(choice)) {
      return;
    }
    boolean named = choice.isObject() && "function".equals(choice.path("type").asText(null))
        && choice.path("function").path("name").isTextual();
    if (choice.isTextual() ? !OPENAI_TOOL_CHOICES.contains(choice.asText()) : !named) {
      throw invalid("tool_choice", "\"none\", \"auto\", \"required\" or {\"type\": "
          + "\"function\", \"function\": {\"name\": \"...\"}}", choice);
    }
  }

  private static void openAiSampling(ObjectNode body) {
    number(body, "temperature", 0, 2);
    number(body, "top_p", 0, 1);
    number(body, "presence_penalty", -2, 2);
    number(body, "frequency_penalty", -2, 2);
    positiveInt(body, "n");
    integer(body, "", "seed", Long.MIN_VALUE, Long.MAX_VALUE, "an integer");
    bool(body, "", "logprobs");
    integer(body, "", "top_logprobs", 0, 20, "an integer between 0 and 20");
    string(body, "", "user");
    bool(body, "", "parallel_tool_calls");
  }

  private static void openAiOutput(ObjectNode body) {
    positiveInt(body, "max_tokens");
    positiveInt(body, "max_completion_tokens");
    JsonNode stop = body.get("stop");
    if (present(stop) && !stop.isTextual()) {
      strings(body, "stop", 4);
    }
    bool(body, "", "stream");
    object(body, "", "stream_options");
    bool(body.path("stream_options"), "stream_options", "include_usage");
    object(body, "", "response_format");
    if (present(body.get("response_format"))) {
      requiredString(body.get("response_format"), "response_format", "type");
    }
  }

  private static void anthropicMessage(JsonNode m, String at) {
    if (!m.isObject()) {
      throw invalid(at, "an object with a role and content", m);
    }
    if (!present(m.get("role"))) {
      throw missing(at + ".role", "");
    }
    oneOf(m, at, "role", ANTHROPIC_ROLES);
    JsonNode content = m.get("content");
    if (!present(content)) {
      throw missing(at + ".content", "");
    }
    if (content.isTextual()) {
      return;
    }
    if (!content.isArray()) {
      throw invalid(at + ".content", BLOCKS_RULE, content);
    }
    for (int i = 0; i < content.size(); i++) {
      AnthropicBlocks.check(content.get(i), at + ".content[" + i + "]");
    }
  }

  private static void anthropicSystem(JsonNode system) {
    if (!present(system) || system.isTextual()) {
      return;
    }
    if (!system.isArray()) {
      throw invalid("system", "a string or an array of text blocks", system);
    }
    for (int i = 0; i < system.size(); i++) {
      String at = "system[" + i + "]";
      JsonNode b = system.get(i);
      if (!b.isObject() || !"text".equals(b.path("type").asText(null))) {
        throw invalid(at, "a text block like {\"type\": \"text\", \"text\": \"...\"}", b);
      }
      requiredString(b, at, "text");
    }
  }

  private static void anthropicTools(ObjectNode body) {
    JsonNode tools = body.get("tools");
    if (!present(tools)) {
      return;
    }
    if (!tools.isArray()) {
      throw invalid("tools", "an array of tools", tools);
    }
    for (int i = 0; i < tools.size(); i++) {
      String at = "tools[" + i + "]";
      JsonNode t = tools.get(i);
      if (!t.isObject()) {
        throw invalid(at, "an object like {\"name\": \"...\", \"input_schema\": {...}}", t);
      }
      requiredString(t, at, "name");
      string(t, at, "type");
      String type = t.path("type").asText("custom");
      // Server tools (web_search_..., bash_..., text_editor_...) carry no input_schema.
      if ("custom".equals(type)) {
        requiredObject(t, at, "input_schema");
        string(t, at, "description");
      }
    }
  }

  private static void anthropicToolChoice(JsonNode choice) {
    if (!present(choice)) {
      return;
    }
    if (!choice.isObject()) {
      throw invalid("tool_choice", "an object like {\"type\": \"auto\"}", choice);
    }
    if (!present(choice.get("type"))) {
      throw missing("tool_choice.type", "");
    }
    if ("tool".equals(oneOf(choice, "tool_choice", "type", ANTHROPIC_TOOL_CHOICES))) {
      requiredString(choice, "tool_choice", "name");
    }
    bool(choice, "tool_choice", "disable_parallel_tool_use");
  }

  /** The checks of one OpenAI message, by role. */
  private static final class OpenAiMessages {

    private OpenAiMessages() {}

    static void check(JsonNode m, String at) {
      if (!m.isObject()) {
        throw invalid(at, "an object with a role and content", m);
      }
      if (!present(m.get("role"))) {
        throw missing(at + ".role", "");
      }
      String role = oneOf(m, at, "role", OPENAI_ROLES);
      string(m, at, "name");
      switch (role) {
        case "assistant" -> assistant(m, at);
        case "tool" -> {
          requiredString(m, at, "tool_call_id");
          content(m.get("content"), at);
        }
        case "function" -> {
          requiredString(m, at, "name");
          string(m, at, "content");
        }
        default -> content(m.get("content"), at);
      }
    }

    private static void assistant(JsonNode m, String at) {
      JsonNode calls = m.get("tool_calls");
      if (present(calls)) {
        toolCalls(calls, at + ".tool_calls");
      }
      boolean saysSomethingElse = present(calls) && !calls.isEmpty()
          || present(m.get("function_call")) || present(m.get("refusal"))
          || present(m.get("audio"));
      if (saysSomethingElse && !present(m.get("content"))) {
        return;
      }
      content(m.get("content"), at);
    }

    private static void toolCalls(JsonNode calls, String at) {
      if (!calls.isArray()) {
        throw invalid(at, "an array of tool calls", calls);
      }
      for (int i = 0; i < calls.size(); i++) {
        String call = at + "[" + i + "]";
        JsonNode c = calls.get(i);
        if (!c.isObject()) {
          throw invalid(call, "an object with id, type and function", c);
        }
        requiredString(c, call, "id");
        oneOf(c, call, "type", List.of("function"));
        JsonNode fn = requiredObject(c, call, "function");
        requiredString(fn, call + ".function", "name");
        requiredString(fn, call + ".function", "arguments");
      }
    }

    private static void content(JsonNode content, String at) {
      if (!present(content)) {
        throw missing(at + ".content", "");
      }
      if (content.isTextual()) {
        return;
      }
      if (!content.isArray()) {
        throw invalid(at + ".content", CONTENT_RULE, content);
      }
      for (int i = 0; i < content.size(); i++) {
        part(content.get(i), at + ".content[" + i + "]");
      }
    }

    private static void part(JsonNode p, String at) {
      if (!p.isObject()) {
        throw invalid(at, "a content part like {\"type\": \"text\", \"text\": \"...\"}", p);
      }
      switch (requiredString(p, at, "type")) {
        case "text" -> requiredString(p, at, "text");
        case "refusal" -> requiredString(p, at, "refusal");
        case "image_url" -> requiredString(requiredObject(p, at, "image_url"),
            at + ".image_url", "url");
        case "input_audio" -> {
          JsonNode audio = requiredObject(p, at, "input_audio");
          requiredString(audio, at + ".input_audio", "data");
          requiredString(audio, at + ".input_audio", "format");
        }
        case "file" -> requiredObject(p, at, "file");
        default -> { }
      }
    }
  }

  /** The checks of one Anthropic content block, by type. */
  private static final class AnthropicBlocks {

    private AnthropicBlocks() {}

    static void check(JsonNode b, String at) {
      if (!b.isObject()) {
        throw invalid(at, "a content block like {\"type\": \"text\", \"text\": \"...\"}", b);
      }
      switch (requiredString(b, at, "type")) {
        case "text" -> requiredString(b, at, "text");
        case "image", "document" -> requiredObject(b, at, "source");
        case "tool_use" -> {
          requiredString(b, at, "id");
          requiredString(b, at, "name");
          requiredObject(b, at, "input");
        }
        case "tool_result" -> toolResult(b, at);
        default -> { }
      }
    }

    private static void toolResult(JsonNode b, String at) {
      requiredString(b, at, "tool_use_id");
      bool(b, at, "is_error");
      JsonNode content = b.get("content");
      if (!present(content) || content.isTextual()) {
        return;
      }
      if (!content.isArray()) {
        throw invalid(at + ".content", BLOCKS_RULE, content);
      }
      for (int i = 0; i < content.size(); i++) {
        check(content.get(i), at + ".content[" + i + "]");
      }
    }
  }
}
