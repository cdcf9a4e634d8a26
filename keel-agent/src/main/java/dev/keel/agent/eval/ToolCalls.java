package dev.keel.agent.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keel.eval.ScoringContext;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Reads made and expected tool calls, and compares two calls. A call is {@code {"name",
 * "arguments"}}; arguments may be an object or a JSON string (as OpenAI sends them).
 */
final class ToolCalls {

  private static final ObjectMapper JSON = new ObjectMapper();

  private ToolCalls() {}

  /** One call: a name and its arguments (an object, empty when none). */
  record Call(String name, JsonNode arguments) {}

  /** The task's calls, else the {@code tool_calls} of its raw output (an endpoint's answer). */
  static List<Call> made(ScoringContext c) {
    List<JsonNode> calls = c.output().toolCalls();
    if (calls.isEmpty() && c.output().raw() != null) {
      List<JsonNode> raw = new ArrayList<>();
      c.output().raw().path("tool_calls").forEach(raw::add);
      calls = raw;
    }
    return calls.stream().map(ToolCalls::call).toList();
  }

  /** Metadata {@code tool_calls}, or null when the item names none. */
  static List<Call> expected(ScoringContext c) {
    JsonNode spec = c.item().metadata() == null ? null : c.item().metadata().get("tool_calls");
    if (spec == null || !spec.isArray()) {
      return null;
    }
    List<Call> out = new ArrayList<>();
    spec.forEach(n -> out.add(call(n)));
    return out;
  }

  /** Metadata {@code trajectory} (tool names), else the names of the expected calls. */
  static List<String> expectedTrajectory(ScoringContext c) {
    JsonNode t = c.item().metadata() == null ? null : c.item().metadata().get("trajectory");
    if (t != null && t.isArray()) {
      List<String> names = new ArrayList<>();
      t.forEach(n -> names.add(n.asText()));
      return names;
    }
    List<Call> expected = expected(c);
    return expected == null ? null : expected.stream().map(Call::name).toList();
  }

  static Call call(JsonNode n) {
    JsonNode f = n.has("function") ? n.get("function") : n;
    JsonNode args = f.path("arguments");
    if (args.isTextual()) {
      try {
        args = JSON.readTree(args.asText());
      } catch (Exception e) {
        // Arguments that are not JSON stay as text: they can only match the same text.
      }
    }
    return new Call(f.path("name").asText(), args.isMissingNode() || args.isNull()
        ? JSON.createObjectNode() : args);
  }

  /**
   * Whether {@code made} satisfies {@code expected}: same name, every expected argument equal
   * (numbers by value), no argument the expected call lacks.
   */
  static boolean matches(Call expected, Call made) {
    return expected.name().equals(made.name()) && same(expected.arguments(), made.arguments());
  }

  private static boolean same(JsonNode a, JsonNode b) {
    if (a.isNumber() && b.isNumber()) {
      return a.decimalValue().compareTo(b.decimalValue()) == 0;
    }
    if (a.isObject() && b.isObject()) {
      if (a.size() != b.size()) {
        return false;
      }
      for (Iterator<Map.Entry<String, JsonNode>> it = a.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        if (!b.has(e.getKey()) || !same(e.getValue(), b.get(e.getKey()))) {
          return false;
        }
      }
      return true;
    }
    if (a.isArray() && b.isArray()) {
      if (a.size() != b.size()) {
        return false;
      }
      for (int i = 0; i < a.size(); i++) {
        if (!same(a.get(i), b.get(i))) {
          return false;
        }
      }
      return true;
    }
    return a.equals(b);
  }
}
