package dev.keel.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.function.Predicate;

/**
 * Type checks on the request fields the simulator reads, so a body of the wrong shape gets the
 * 400 a real provider would give instead of an answer built from defaults. Ranges and fields
 * the simulator ignores are not checked: it is a stand-in, not a validator.
 */
final class RequestTypes {

  private RequestTypes() {}

  static void openAi(JsonNode body) {
    field(body, "model", JsonNode::isTextual, "a string");
    field(body, "stream", JsonNode::isBoolean, "a boolean");
    field(body, "stream_options", JsonNode::isObject, "an object");
    field(body, "temperature", JsonNode::isNumber, "a number");
    field(body, "top_p", JsonNode::isNumber, "a number");
    field(body, "max_tokens", JsonNode::isIntegralNumber, "an integer");
    field(body, "max_completion_tokens", JsonNode::isIntegralNumber, "an integer");
    field(body, "n", JsonNode::isIntegralNumber, "an integer");
    field(body, "logprobs", JsonNode::isBoolean, "a boolean");
    field(body, "top_logprobs", JsonNode::isIntegralNumber, "an integer");
    field(body, "tools", JsonNode::isArray, "an array");
    field(body, "tool_choice", n -> n.isTextual() || n.isObject(), "a string or an object");
    field(body, "response_format", JsonNode::isObject, "an object");
    field(body, "stop", n -> n.isTextual() || n.isArray(), "a string or an array");
    messages(body, "a string or an array of content parts");
  }

  static void anthropic(JsonNode body) {
    field(body, "model", JsonNode::isTextual, "a string");
    field(body, "max_tokens", JsonNode::isIntegralNumber, "an integer");
    field(body, "stream", JsonNode::isBoolean, "a boolean");
    field(body, "temperature", JsonNode::isNumber, "a number");
    field(body, "top_p", JsonNode::isNumber, "a number");
    field(body, "top_k", JsonNode::isIntegralNumber, "an integer");
    field(body, "system", n -> n.isTextual() || n.isArray(), "a string or an array");
    field(body, "tools", JsonNode::isArray, "an array");
    field(body, "tool_choice", JsonNode::isObject, "an object");
    field(body, "stop_sequences", JsonNode::isArray, "an array");
    field(body, "metadata", JsonNode::isObject, "an object");
    messages(body, "a string or an array of content blocks");
  }

  private static void messages(JsonNode body, String contentRule) {
    JsonNode messages = body.path("messages");
    if (!messages.isArray()) {
      return; // the parsers say "required" for a missing or non-array list
    }
    for (int i = 0; i < messages.size(); i++) {
      JsonNode m = messages.get(i);
      String at = "messages[" + i + "]";
      if (!m.isObject()) {
        throw wrong(at, "an object", m);
      }
      field(m, at, "role", JsonNode::isTextual, "a string");
      field(m, at, "content", n -> n.isTextual() || n.isArray(), contentRule);
      for (int j = 0; j < m.path("content").size(); j++) {
        part(m.path("content").get(j), at + ".content[" + j + "]");
      }
    }
  }

  private static void part(JsonNode p, String at) {
    if (!p.isObject()) {
      throw wrong(at, "an object", p);
    }
    field(p, at, "type", JsonNode::isTextual, "a string");
    if ("text".equals(p.path("type").asText())) {
      field(p, at, "text", JsonNode::isTextual, "a string");
    }
  }

  private static void field(JsonNode obj, String name, Predicate<JsonNode> ok, String rule) {
    field(obj, "", name, ok, rule);
  }

  private static void field(JsonNode obj, String at, String name, Predicate<JsonNode> ok,
      String rule) {
    JsonNode v = obj.get(name);
    if (v != null && !v.isNull() && !ok.test(v)) {
      throw wrong(at.isEmpty() ? name : at + "." + name, rule, v);
    }
  }

  private static InvalidDirectiveException wrong(String path, String rule, JsonNode got) {
    String shown = got.toString();
    shown = shown.length() > 60 ? shown.substring(0, 60) + "..." : shown;
    return new InvalidDirectiveException("invalid type for '" + path + "': expected " + rule
        + ", got " + shown);
  }
}
