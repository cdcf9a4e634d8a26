package dev.keel.providers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keel.core.usage.Usage;
import java.util.Map;
import java.util.TreeMap;

/** Rebuilds a Messages API message object from its stream events. */
final class AnthropicStreamAccumulator implements StreamAccumulator {

  private final Map<Integer, Block> blocks = new TreeMap<>();
  private ObjectNode message = Json.object();
  private final ObjectNode usage = Json.object();
  private boolean firstToken;

  @Override
  public void accept(SseEvent event) {
    if (event.data().isEmpty()) {
      return;
    }
    ObjectNode e;
    try {
      e = Json.parseUpstreamObject(event.data());
    } catch (UpstreamException ex) {
      // A broken event ends the stream: passed on, the client would get half an answer that
      // looks whole, and the trace would record a success.
      throw ex;
    }
    switch (String.valueOf(Json.text(e, "type"))) {
      case "message_start" -> start(e.path("message"));
      case "content_block_start" -> blocks.put(e.path("index").asInt(),
          new Block(e.path("content_block").deepCopy()));
      case "content_block_delta" -> delta(e.path("index").asInt(), e.path("delta"));
      case "message_delta" -> messageDelta(e);
      default -> { }
    }
  }

  @Override
  public ObjectNode response() {
    ObjectNode out = message.deepCopy();
    out.put("type", "message");
    ArrayNode content = out.putArray("content");
    blocks.values().forEach(b -> content.add(b.toJson()));
    if (!usage.isEmpty()) {
      out.set("usage", usage.deepCopy());
    }
    return out;
  }

  @Override
  public Usage usage() {
    return usage.isEmpty() ? Usage.NONE : UsageParser.anthropic(usage);
  }

  @Override
  public boolean sawFirstToken() {
    return firstToken;
  }

  private void start(JsonNode m) {
    if (m.isObject()) {
      message = ((ObjectNode) m).deepCopy();
      message.remove("content");
      mergeUsage(m.path("usage"));
    }
  }

  private void delta(int index, JsonNode d) {
    Block b = blocks.computeIfAbsent(index, i -> new Block(Json.object().put("type", "text")));
    String type = String.valueOf(Json.text(d, "type"));
    String part = switch (type) {
      case "text_delta" -> Json.text(d, "text");
      case "input_json_delta" -> Json.text(d, "partial_json");
      case "thinking_delta" -> Json.text(d, "thinking");
      default -> null;
    };
    if (part != null) {
      b.text.append(part);
      firstToken |= !part.isEmpty() && !type.equals("thinking_delta");
    } else if (type.equals("signature_delta")) {
      b.start.put("signature", Json.text(d, "signature"));
    }
  }

  private void messageDelta(ObjectNode e) {
    JsonNode d = e.path("delta");
    for (String key : new String[] {"stop_reason", "stop_sequence"}) {
      if (d.has(key)) {
        message.set(key, d.get(key));
      }
    }
    mergeUsage(e.path("usage"));
  }

  /** message_delta usage holds running totals that replace message_start's. */
  private void mergeUsage(JsonNode u) {
    if (u.isObject()) {
      for (var f : u.properties()) {
        if (f.getValue().isNumber()) {
          usage.set(f.getKey(), f.getValue());
        }
      }
    }
  }

  /** One content block: its start object plus the text of its deltas. */
  private static final class Block {
    private final ObjectNode start;
    private final StringBuilder text = new StringBuilder();

    Block(ObjectNode start) {
      this.start = start;
    }

    ObjectNode toJson() {
      ObjectNode b = start.deepCopy();
      switch (String.valueOf(Json.text(b, "type"))) {
        case "text" -> b.put("text", Json.textOrEmpty(b, "text") + text);
        case "thinking" -> b.put("thinking", Json.textOrEmpty(b, "thinking") + text);
        case "tool_use", "server_tool_use" -> b.set("input", text.isEmpty()
            ? b.path("input") : ResponseTranslation.arguments(text.toString()));
        default -> { }
      }
      return b;
    }
  }
}
