package dev.keel.eval.online;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.keel.core.trace.Observation;
import dev.keel.core.trace.ObservationType;
import dev.keel.eval.EvalItem;
import dev.keel.eval.TaskOutput;
import dev.keel.store.TraceSummary;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A stored trace as scorers see it: the trace's input is the item's input (else the first
 * generation's), its output the answer (the text of an assistant message or of a chat
 * completion when it holds one), the outputs of its RETRIEVER observations the retrieved
 * contexts in order, and its latency and cost. A live trace has no reference answer, so
 * scorers that need one are undetermined.
 */
final class TraceItem {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String[] TEXT_KEYS = {"text", "content", "page_content", "pageContent"};

  private TraceItem() {}

  static EvalItem item(TraceSummary s, List<Observation> observations) {
    String input = s.trace().input();
    if (input == null) {
      input = firstGeneration(observations).map(Observation::input).orElse(null);
    }
    JsonNode in = input == null ? TextNode.valueOf("") : parse(input);
    JsonNode meta = s.trace().metadata() == null ? null : parse(s.trace().metadata());
    return new EvalItem(s.trace().id(), in, null, List.of(), meta);
  }

  static TaskOutput output(TraceSummary s, List<Observation> observations) {
    String raw = s.trace().output();
    if (raw == null) {
      raw = lastGeneration(observations).map(Observation::output).orElse(null);
    }
    JsonNode out = raw == null ? null : parse(raw);
    long latencyMs = s.latencySeconds() == null ? 0 : Math.round(s.latencySeconds() * 1000);
    BigDecimal cost = s.costIncomplete() ? null : s.totalCost();
    return new TaskOutput(text(out), out, toolCalls(out), contexts(observations), cost,
        latencyMs, s.trace().id(), null);
  }

  /** The answer's text: a string, an assistant message's content, a completion's message. */
  static String text(JsonNode out) {
    if (out == null || out.isNull()) {
      return null;
    }
    if (out.isTextual()) {
      return out.asText();
    }
    JsonNode message = out.path("choices").path(0).path("message");
    JsonNode content = message.isObject() ? message.path("content") : out.path("content");
    if (content.isTextual()) {
      return content.asText();
    }
    if (content.isArray()) {
      var sb = new StringBuilder();
      for (JsonNode part : content) {
        if (part.path("text").isTextual()) {
          sb.append(part.path("text").asText());
        }
      }
      if (!sb.isEmpty()) {
        return sb.toString();
      }
    }
    if (out.path("output").isTextual()) {
      return out.path("output").asText();
    }
    return out.toString();
  }

  private static List<JsonNode> toolCalls(JsonNode out) {
    if (out == null) {
      return List.of();
    }
    JsonNode message = out.path("choices").path(0).path("message");
    JsonNode calls = (message.isObject() ? message : out).path("tool_calls");
    var list = new ArrayList<JsonNode>();
    for (JsonNode c : calls) {
      JsonNode f = c.has("function") ? c.get("function") : c;
      JsonNode args = f.path("arguments");
      if (args.isTextual()) {
        args = parse(args.asText());
      }
      list.add(JSON.createObjectNode().put("name", f.path("name").asText()).set("arguments",
          args));
    }
    return list;
  }

  private static List<String> contexts(List<Observation> observations) {
    var out = new ArrayList<String>();
    observations.stream().filter(o -> o.type() == ObservationType.RETRIEVER)
        .filter(o -> o.output() != null)
        .sorted(Comparator.comparing(Observation::startTime,
            Comparator.nullsLast(Comparator.naturalOrder())))
        .forEach(o -> addContexts(parse(o.output()), out));
    return out;
  }

  private static void addContexts(JsonNode n, List<String> out) {
    if (n.isTextual()) {
      out.add(n.asText());
    } else if (n.isArray()) {
      n.forEach(e -> addContexts(e, out));
    } else if (n.isObject()) {
      for (String key : TEXT_KEYS) {
        if (n.path(key).isTextual()) {
          out.add(n.path(key).asText());
          return;
        }
      }
      for (String key : new String[] {"documents", "contexts", "passages", "results"}) {
        if (n.path(key).isArray()) {
          addContexts(n.path(key), out);
          return;
        }
      }
    }
  }

  private static java.util.Optional<Observation> firstGeneration(List<Observation> obs) {
    return obs.stream().filter(o -> o.type() == ObservationType.GENERATION).findFirst();
  }

  private static java.util.Optional<Observation> lastGeneration(List<Observation> obs) {
    return obs.stream().filter(o -> o.type() == ObservationType.GENERATION)
        .reduce((a, b) -> b);
  }

  // Stored input and output are JSON text; anything else is taken as a plain string.
  private static JsonNode parse(String s) {
    try {
      JsonNode n = JSON.readTree(s);
      return n == null ? TextNode.valueOf(s) : n;
    } catch (JsonProcessingException e) {
      return TextNode.valueOf(s);
    }
  }
}
