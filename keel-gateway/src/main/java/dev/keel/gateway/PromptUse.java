package dev.keel.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keel.core.error.ErrorCode;
import dev.keel.core.error.KeelException;
import dev.keel.prompts.ChatMessage;
import dev.keel.prompts.PromptService;
import dev.keel.prompts.PromptVersion;
import dev.keel.prompts.Rendered;
import dev.keel.providers.WireFormat;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A chat request that names a registered prompt ({@code "prompt": {"name", "label" or "version",
 * "variables"}} in the body, or the {@code x-keel-prompt*} headers): Keel renders the prompt
 * version, puts it in front of the request's own messages, and applies the version's config
 * (model, temperature, max tokens, response schema...) wherever the request does not set the
 * field itself.
 *
 * <p>A text prompt becomes the system message (the user message when the request has no
 * messages); a chat prompt's messages come before the request's. On the Anthropic API system
 * messages go to {@code system}.
 */
final class PromptUse {

  /** Config keys copied into the request when it does not set them (same name both sides). */
  private static final List<String> CONFIG_KEYS = List.of("model", "temperature", "top_p",
      "top_k", "max_tokens", "max_completion_tokens", "stop", "seed", "presence_penalty",
      "frequency_penalty", "tools", "tool_choice", "response_format", "reasoning_effort");

  private PromptUse() {}

  /**
   * Applies the prompt the request names, changing {@code body} in place. Returns the request
   * meta with the prompt version used, or {@code meta} unchanged when no prompt is named.
   */
  static RequestMeta apply(PromptService prompts, WireFormat format, ObjectNode body,
      RequestMeta meta) {
    RequestMeta.PromptRef ref = ref(body, meta);
    Map<String, Object> variables = ref == null ? Map.of() : variables(body);
    body.remove("prompt");
    if (ref == null) {
      return meta;
    }
    if (prompts == null) {
      throw new KeelException(ErrorCode.INVALID_REQUEST, "prompts are not available on this "
          + "Keel", "prompt", null);
    }
    PromptVersion v = prompts.require(meta.principal().projectId(), ref.name(), ref.label(),
        ref.version());
    Rendered r = v.render(variables);
    insertMessages(format, body, r);
    applyConfig(format, body, r);
    return meta.withPrompt(new RequestMeta.PromptRef(v.name(), ref.label(), v.version()));
  }

  private static RequestMeta.PromptRef ref(ObjectNode body, RequestMeta meta) {
    JsonNode p = body.get("prompt");
    if (p == null || p.isNull()) {
      return meta.prompt();
    }
    if (p.isObject() && !p.has("name") && meta.prompt() != null) {
      return meta.prompt(); // named by the headers; the body carries only the variables
    }
    RequestMeta.PromptRef fromBody = bodyRef(p);
    if (meta.prompt() != null && !agree(meta.prompt(), fromBody)) {
      throw invalid("the prompt is named twice, differently: the x-keel-prompt headers name "
          + describe(meta.prompt()) + " and the body's prompt field names " + describe(fromBody)
          + "; name it in one place, or the same in both");
    }
    if (meta.prompt() == null) {
      return fromBody;
    }
    RequestMeta.PromptRef h = meta.prompt();
    return new RequestMeta.PromptRef(h.name(), h.label() != null ? h.label() : fromBody.label(),
        h.version() != null ? h.version() : fromBody.version());
  }

  /** Same name, and the same label or version unless one side names neither. */
  private static boolean agree(RequestMeta.PromptRef a, RequestMeta.PromptRef b) {
    boolean aPicks = a.label() != null || a.version() != null;
    boolean bPicks = b.label() != null || b.version() != null;
    return a.name().equals(b.name()) && (!aPicks || !bPicks
        || java.util.Objects.equals(a.label(), b.label())
        && java.util.Objects.equals(a.version(), b.version()));
  }

  private static String describe(RequestMeta.PromptRef r) {
    return "'" + r.name() + "'" + (r.label() != null ? " label " + r.label() : "")
        + (r.version() != null ? " version " + r.version() : "");
  }

  private static RequestMeta.PromptRef bodyRef(JsonNode p) {
    if (p.isTextual()) {
      return new RequestMeta.PromptRef(p.asText(), null, null);
    }
    if (!p.isObject() || !p.path("name").isTextual() || p.path("name").asText().isBlank()) {
      throw invalid("prompt must be an object with a string name, got: " + abbreviate(p));
    }
    JsonNode label = p.get("label");
    JsonNode version = p.get("version");
    if (label != null && !label.isNull() && !label.isTextual()) {
      throw invalid("prompt.label must be a string, got: " + abbreviate(label));
    }
    if (version != null && !version.isNull() && !(version.canConvertToInt()
        && version.isIntegralNumber() && version.asInt() > 0)) {
      throw invalid("prompt.version must be a positive integer, got: " + abbreviate(version));
    }
    return new RequestMeta.PromptRef(p.get("name").asText(),
        label == null || label.isNull() ? null : label.asText(),
        version == null || version.isNull() ? null : version.asInt());
  }

  private static Map<String, Object> variables(ObjectNode body) {
    JsonNode vars = body.path("prompt").path("variables");
    var out = new LinkedHashMap<String, Object>();
    if (vars.isMissingNode() || vars.isNull()) {
      return out;
    }
    if (!vars.isObject()) {
      throw invalid("prompt.variables must be an object, got: " + abbreviate(vars));
    }
    vars.fields().forEachRemaining(e -> out.put(e.getKey(),
        e.getValue().isTextual() ? e.getValue().asText() : e.getValue().toString()));
    return out;
  }

  private static void insertMessages(WireFormat format, ObjectNode body, Rendered r) {
    JsonNode existing = body.get("messages");
    ArrayNode own = existing instanceof ArrayNode a ? a : Gateway.JSON.createArrayNode();
    List<ChatMessage> prompt = r.messages() != null ? r.messages()
        : List.of(new ChatMessage(own.isEmpty() ? "user" : "system", r.text()));
    ArrayNode merged = Gateway.JSON.createArrayNode();
    StringBuilder system = new StringBuilder();
    for (ChatMessage m : prompt) {
      if (format == WireFormat.ANTHROPIC && m.role().equals("system")) {
        system.append(system.isEmpty() ? "" : "\n\n").append(m.content());
      } else {
        merged.addObject().put("role", m.role()).put("content", m.content());
      }
    }
    merged.addAll(own);
    body.set("messages", merged);
    if (!system.isEmpty()) {
      JsonNode own2 = body.get("system");
      if (own2 != null && own2.isTextual()) {
        system.append("\n\n").append(own2.asText());
      }
      body.put("system", system.toString());
    }
  }

  private static void applyConfig(WireFormat format, ObjectNode body, Rendered r) {
    if (r.configJson() == null || r.configJson().isBlank()) {
      return;
    }
    JsonNode config;
    try {
      config = Gateway.JSON.readTree(r.configJson());
    } catch (IOException e) {
      return; // the registry only stores valid JSON objects
    }
    for (String key : CONFIG_KEYS) {
      JsonNode v = config.get(key);
      boolean openAiOnly = key.equals("response_format") || key.equals("max_completion_tokens");
      if (v != null && !v.isNull() && !body.has(key)
          && !(openAiOnly && format == WireFormat.ANTHROPIC)) {
        body.set(key, v);
      }
    }
    JsonNode schema = config.has("json_schema") ? config.get("json_schema")
        : config.get("response_schema");
    if (schema != null && schema.isObject() && !body.has("response_format")
        && format == WireFormat.OPENAI) {
      ObjectNode rf = body.putObject("response_format").put("type", "json_schema");
      rf.putObject("json_schema").put("name", safeName(r.name())).set("schema", schema);
    }
  }

  private static String safeName(String promptName) {
    String n = promptName.replaceAll("[^A-Za-z0-9_-]", "_");
    return n.length() > 64 ? n.substring(0, 64) : n;
  }

  private static KeelException invalid(String message) {
    return new KeelException(ErrorCode.INVALID_REQUEST, message, "prompt", null);
  }

  private static String abbreviate(JsonNode n) {
    String s = n.toString();
    return s.length() > 80 ? s.substring(0, 80) + "..." : s;
  }
}
