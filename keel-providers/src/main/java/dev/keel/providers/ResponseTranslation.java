package dev.keel.providers;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Translates whole (non-streamed) responses between the two formats. */
final class ResponseTranslation {

  private ResponseTranslation() {
  }

  static ObjectNode anthropicToOpenAi(ObjectNode resp, String structuredOutputTool) {
    ObjectNode out = Json.object();
    out.put("id", Mapping.toOpenAiId(Json.text(resp, "id")));
    out.put("object", "chat.completion");
    out.put("created", System.currentTimeMillis() / 1000);
    out.set("model", resp.get("model"));
    ObjectNode choice = out.putArray("choices").addObject().put("index", 0);
    ObjectNode message = choice.putObject("message").put("role", "assistant");
    String finish = Mapping.toFinishReason(Json.text(resp, "stop_reason"));
    var text = new StringBuilder();
    ArrayNode calls = Json.array();
    for (JsonNode b : resp.path("content")) {
      String type = Json.text(b, "type");
      if ("text".equals(type)) {
        text.append(Json.text(b, "text"));
      } else if ("tool_use".equals(type) && isStructured(b, structuredOutputTool)) {
        // The forced response_format tool: its input is the answer, as JSON text.
        text.append(Json.write(b.path("input")));
        finish = "stop";
      } else if ("tool_use".equals(type)) {
        ObjectNode call = calls.addObject().put("id", Json.text(b, "id")).put("type", "function");
        call.putObject("function").put("name", Json.text(b, "name"))
            .put("arguments", Json.write(b.path("input")));
      }
    }
    if (text.isEmpty() && !calls.isEmpty()) {
      message.putNull("content");
    } else {
      message.put("content", text.toString());
    }
    message.putNull("refusal");
    if (!calls.isEmpty()) {
      message.set("tool_calls", calls);
    }
    choice.putNull("logprobs");
    choice.put("finish_reason", finish == null ? "stop" : finish);
    out.set("usage", Mapping.openAiUsage(UsageParser.anthropic(resp.get("usage"))));
    return out;
  }

  static ObjectNode openAiToAnthropic(ObjectNode resp) {
    ObjectNode out = Json.object();
    out.put("id", Mapping.toAnthropicId(Json.text(resp, "id")));
    out.put("type", "message");
    out.put("role", "assistant");
    out.set("model", resp.get("model"));
    JsonNode choice = resp.path("choices").path(0);
    JsonNode message = choice.path("message");
    ArrayNode content = out.putArray("content");
    String text = Json.text(message, "content");
    String refusal = Json.text(message, "refusal");
    if (text != null && !text.isEmpty()) {
      content.addObject().put("type", "text").put("text", text);
    } else if (refusal != null) {
      content.addObject().put("type", "text").put("text", refusal);
    }
    for (JsonNode call : message.path("tool_calls")) {
      content.add(toolUse(call));
    }
    String stop = Mapping.toStopReason(Json.text(choice, "finish_reason"));
    out.put("stop_reason", stop == null ? "end_turn" : stop);
    out.putNull("stop_sequence");
    out.set("usage", Mapping.anthropicUsage(UsageParser.openAi(resp.get("usage"))));
    return out;
  }

  static boolean isStructured(JsonNode toolUse, String structuredOutputTool) {
    return structuredOutputTool != null
        && structuredOutputTool.equals(Json.text(toolUse, "name"));
  }

  private static ObjectNode toolUse(JsonNode call) {
    JsonNode fn = call.path("function");
    ObjectNode b = Json.object().put("type", "tool_use");
    b.put("id", Json.text(call, "id"));
    b.put("name", Json.text(fn, "name"));
    b.set("input", arguments(Json.text(fn, "arguments")));
    return b;
  }

  static JsonNode arguments(String args) {
    if (args == null || args.isBlank()) {
      return Json.object();
    }
    try {
      JsonNode n = Json.MAPPER.readTree(args);
      return n.isObject() ? n : Json.object();
    } catch (JsonProcessingException e) {
      // Broken arguments from the model: an empty input keeps the message valid for SDKs.
      return Json.object();
    }
  }
}
