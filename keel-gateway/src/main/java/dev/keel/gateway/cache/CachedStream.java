package dev.keel.gateway.cache;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keel.providers.SseEvent;
import java.util.ArrayList;
import java.util.List;

/**
 * Replays a cached answer as the event stream its client expects: OpenAI chunks ending in
 * {@code [DONE]}, or Anthropic's message_start ... message_stop sequence.
 */
public final class CachedStream {

  private static final ObjectMapper JSON = new ObjectMapper();

  private CachedStream() {}

  /** OpenAI chunks for a cached chat.completion; the usage chunk only when asked for. */
  public static List<SseEvent> openAi(ObjectNode response, boolean includeUsage) {
    var out = new ArrayList<SseEvent>();
    JsonNode message = response.path("choices").path(0).path("message");
    ObjectNode first = chunk(response);
    delta(first).put("role", "assistant").put("content", "");
    out.add(event(null, first));
    if (message.path("content").isTextual() && !message.path("content").asText().isEmpty()) {
      ObjectNode c = chunk(response);
      delta(c).put("content", message.path("content").asText());
      out.add(event(null, c));
    }
    int i = 0;
    for (JsonNode call : message.path("tool_calls")) {
      ObjectNode c = chunk(response);
      ObjectNode tc = delta(c).putArray("tool_calls").addObject().put("index", i++);
      tc.put("id", call.path("id").asText()).put("type", "function");
      tc.putObject("function").put("name", call.path("function").path("name").asText())
          .put("arguments", call.path("function").path("arguments").asText());
      out.add(event(null, c));
    }
    ObjectNode last = chunk(response);
    delta(last);
    ((ObjectNode) last.path("choices").path(0)).put("finish_reason",
        response.path("choices").path(0).path("finish_reason").asText("stop"));
    out.add(event(null, last));
    if (includeUsage && response.has("usage")) {
      ObjectNode u = base(response);
      u.putArray("choices");
      u.set("usage", response.get("usage"));
      out.add(event(null, u));
    }
    out.add(new SseEvent(null, "[DONE]"));
    return out;
  }

  /** Anthropic's event sequence for a cached message. */
  public static List<SseEvent> anthropic(ObjectNode message) {
    var out = new ArrayList<SseEvent>();
    ObjectNode start = JSON.createObjectNode().put("type", "message_start");
    ObjectNode m = message.deepCopy();
    m.putArray("content");
    m.putNull("stop_reason");
    m.putNull("stop_sequence");
    start.set("message", m);
    out.add(event("message_start", start));
    int index = 0;
    for (JsonNode block : message.path("content")) {
      ObjectNode s = JSON.createObjectNode().put("type", "content_block_start")
          .put("index", index);
      ObjectNode d = JSON.createObjectNode().put("type", "content_block_delta")
          .put("index", index);
      if ("tool_use".equals(block.path("type").asText())) {
        s.putObject("content_block").put("type", "tool_use")
            .put("id", block.path("id").asText()).put("name", block.path("name").asText())
            .putObject("input");
        d.putObject("delta").put("type", "input_json_delta")
            .put("partial_json", block.path("input").toString());
      } else {
        s.putObject("content_block").put("type", "text").put("text", "");
        d.putObject("delta").put("type", "text_delta").put("text", block.path("text").asText());
      }
      out.add(event("content_block_start", s));
      out.add(event("content_block_delta", d));
      out.add(event("content_block_stop", JSON.createObjectNode()
          .put("type", "content_block_stop").put("index", index)));
      index++;
    }
    ObjectNode md = JSON.createObjectNode().put("type", "message_delta");
    md.putObject("delta").put("stop_reason", message.path("stop_reason").asText("end_turn"))
        .putNull("stop_sequence");
    md.set("usage", message.path("usage").deepCopy());
    out.add(event("message_delta", md));
    out.add(event("message_stop", JSON.createObjectNode().put("type", "message_stop")));
    return out;
  }

  private static ObjectNode base(ObjectNode response) {
    return JSON.createObjectNode().put("id", response.path("id").asText())
        .put("object", "chat.completion.chunk").put("created", response.path("created").asLong())
        .put("model", response.path("model").asText());
  }

  private static ObjectNode chunk(ObjectNode response) {
    ObjectNode c = base(response);
    ArrayNode choices = c.putArray("choices");
    choices.addObject().put("index", 0).putNull("finish_reason");
    return c;
  }

  private static ObjectNode delta(ObjectNode chunk) {
    return ((ObjectNode) chunk.path("choices").path(0)).putObject("delta");
  }

  private static SseEvent event(String name, ObjectNode data) {
    return new SseEvent(name, data.toString());
  }
}
