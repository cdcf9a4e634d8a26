package dev.keel.tracing.otel;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Input and output of a span, in the reference's order of precedence: Langfuse's attributes;
 * GenAI span events; the flattened {@code gen_ai.prompt.N.*} keys; {@code gen_ai.input.messages}
 * with {@code gen_ai.system_instructions} first; the older whole-value {@code gen_ai.prompt} and
 * {@code gen_ai.completion}; tool call arguments and results; OpenInference, Traceloop and plain
 * {@code input}/{@code output}.
 */
final class ContentAttributes {

  /** Attribute keys read as content, left out of the metadata copy of the attributes. */
  static final List<String> KEYS = List.of("langfuse.observation.input",
      "langfuse.observation.output", "gen_ai.input.messages", "gen_ai.output.messages",
      "gen_ai.system_instructions", "gen_ai.prompt", "gen_ai.completion",
      "gen_ai.tool.call.arguments", "gen_ai.tool.call.result", "input.value", "output.value",
      "traceloop.entity.input", "traceloop.entity.output", "input", "output");

  private ContentAttributes() {}

  /** Input and output, each null when the span carries none. */
  record Content(JsonNode input, JsonNode output) {}

  static Content of(Attributes a, List<Span.Event> events) {
    JsonNode in = a.json("langfuse.observation.input");
    JsonNode out = a.json("langfuse.observation.output");
    Content fromEvents = fromEvents(events);
    in = or(in, fromEvents.input(), flattened(a, "gen_ai.prompt."), inputMessages(a),
        a.json("gen_ai.prompt"), a.json("gen_ai.tool.call.arguments"), a.json("input.value"),
        a.json("traceloop.entity.input"), a.json("input"));
    out = or(out, fromEvents.output(), flattened(a, "gen_ai.completion."),
        a.json("gen_ai.output.messages"), a.json("gen_ai.completion"),
        a.json("gen_ai.tool.call.result"), a.json("output.value"),
        a.json("traceloop.entity.output"), a.json("output"));
    return new Content(in, out);
  }

  // gen_ai.system_instructions travel apart from the messages; they come first in the input.
  private static JsonNode inputMessages(Attributes a) {
    JsonNode messages = a.json("gen_ai.input.messages");
    JsonNode system = a.json("gen_ai.system_instructions");
    if (messages == null || system == null || !messages.isArray()) {
      return messages;
    }
    ArrayNode all = Attributes.JSON.createArrayNode();
    all.addObject().put("role", "system").set("parts", system.isArray() ? system
        : Attributes.JSON.createArrayNode().add(system));
    all.addAll((ArrayNode) messages);
    return all;
  }

  // gen_ai.prompt.0.role=user, gen_ai.prompt.0.content=Hi -> [{"role":"user","content":"Hi"}]
  private static JsonNode flattened(Attributes a, String prefix) {
    Map<String, JsonNode> flat = a.withPrefix(prefix);
    if (flat.isEmpty()) {
      return null;
    }
    var byIndex = new TreeMap<Integer, ObjectNode>();
    flat.forEach((k, v) -> {
      int dot = k.indexOf('.');
      if (dot <= 0) {
        return;
      }
      try {
        int i = Integer.parseInt(k.substring(0, dot));
        byIndex.computeIfAbsent(i, x -> Attributes.JSON.createObjectNode())
            .set(k.substring(dot + 1), v);
      } catch (NumberFormatException e) {
        // Not an indexed message key; left to the metadata.
      }
    });
    if (byIndex.isEmpty()) {
      return null;
    }
    ArrayNode arr = Attributes.JSON.createArrayNode();
    byIndex.values().forEach(arr::add);
    return arr;
  }

  // Semconv events: gen_ai.{system,user,assistant,tool}.message for input, gen_ai.choice for
  // output, and the older gen_ai.content.prompt / gen_ai.content.completion.
  private static Content fromEvents(List<Span.Event> events) {
    ArrayNode in = Attributes.JSON.createArrayNode();
    ArrayNode out = Attributes.JSON.createArrayNode();
    JsonNode legacyIn = null;
    JsonNode legacyOut = null;
    for (Span.Event e : events) {
      Attributes ea = Attributes.of(e.getAttributesList());
      switch (e.getName()) {
        case "gen_ai.system.message", "gen_ai.user.message", "gen_ai.assistant.message",
            "gen_ai.tool.message" -> in.add(message(e.getName(), ea));
        case "gen_ai.choice" -> out.add(message("gen_ai.assistant.message", ea));
        case "gen_ai.content.prompt" -> legacyIn = ea.json("gen_ai.prompt");
        case "gen_ai.content.completion" -> legacyOut = ea.json("gen_ai.completion");
        default -> { }
      }
    }
    return new Content(in.isEmpty() ? legacyIn : in, out.isEmpty() ? legacyOut : out);
  }

  private static ObjectNode message(String eventName, Attributes ea) {
    ObjectNode m = Attributes.JSON.createObjectNode();
    String role = eventName.substring("gen_ai.".length(), eventName.length() - ".message".length());
    m.put("role", role);
    ea.asMap().forEach((k, v) -> {
      if (!k.equals("gen_ai.system")) {
        m.set(k, ea.json(k));
      }
    });
    return m;
  }

  private static JsonNode or(JsonNode... candidates) {
    for (JsonNode c : candidates) {
      if (c != null && !c.isNull()) {
        return c;
      }
    }
    return null;
  }
}
