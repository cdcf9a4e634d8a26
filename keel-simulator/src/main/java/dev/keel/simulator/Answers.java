package dev.keel.simulator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.keel.simulator.Answer.ToolCall;
import dev.keel.simulator.ChatRequest.ToolChoice.Mode;
import java.util.ArrayList;
import java.util.List;

/**
 * Decides a request's answer. Everything here is a pure function of the request and the plan,
 * so the same model, messages and directives always give the same answer.
 */
final class Answers {

  private static final int GIST_WORDS = 12;

  private Answers() {}

  static Answer compose(ChatRequest r, Plan p) {
    return compose(r, p, null);
  }

  /**
   * The answer, with the answer book and judge profile of {@code k} (null for neither): a judge
   * prompt asking for a JSON schema gets the simulated judge's verdict; a text question from the
   * book gets the book's answer or another one, as the model's quality decides.
   */
  static Answer compose(ChatRequest r, Plan p, Answering k) {
    if (r.toolChoice().mode() != Mode.NONE) {
      List<ToolCall> calls = toolCalls(r, p);
      if (!calls.isEmpty()) {
        return new Answer(null, calls);
      }
    }
    return Answer.text(text(r, p, k));
  }

  private static List<ToolCall> toolCalls(ChatRequest r, Plan p) {
    List<ScriptedCall> script = p.toolScript();
    if (p.loop()) {
      return script.isEmpty() && r.tools().isEmpty() ? List.of()
          : List.of(script.isEmpty() ? forced(r, p, r.tools().get(0)) : scripted(r, script.get(0)));
    }
    if (!script.isEmpty()) {
      int turn = r.toolTurns();
      if (p.parallel()) {
        return turn == 0 ? script.stream().map(s -> scripted(r, s)).toList() : List.of();
      }
      return turn < script.size() ? List.of(scripted(r, script.get(turn))) : List.of();
    }
    return switch (r.toolChoice().mode()) {
      case NAMED -> List.of(forced(r, p, namedTool(r)));
      case ANY -> r.tools().isEmpty() ? List.of() : List.of(forced(r, p, r.tools().get(0)));
      default -> List.of();
    };
  }

  private static ChatRequest.ToolDef namedTool(ChatRequest r) {
    ChatRequest.ToolDef t = r.tool(r.toolChoice().name());
    if (t == null) {
      throw new InvalidDirectiveException("tool_choice names a tool the request does not"
          + " declare: " + r.toolChoice().name());
    }
    return t;
  }

  private static ToolCall scripted(ChatRequest r, ScriptedCall s) {
    if (s.argumentsJson() != null) {
      return new ToolCall(s.name(), s.argumentsJson());
    }
    ChatRequest.ToolDef t = r.tool(s.name());
    return new ToolCall(s.name(), t == null || t.schema() == null ? "{}"
        : write(SchemaInstances.minimal(t.schema())));
  }

  private static ToolCall forced(ChatRequest r, Plan p, ChatRequest.ToolDef t) {
    if (t.schema() == null) {
      return new ToolCall(t.name(), "{}");
    }
    JsonNode args = p.jsonInvalid() ? SchemaInstances.invalid(t.schema())
        : SchemaInstances.minimal(t.schema());
    return new ToolCall(t.name(), write(args));
  }

  private static String text(ChatRequest r, Plan p, Answering k) {
    if (p.reply() != null) {
      return p.reply();
    }
    ChatRequest.ResponseFormat f = r.responseFormat();
    String known = k == null || p.jsonInvalid() ? null : k.answer(r);
    if (known != null) {
      return known;
    }
    if (f.type().equals("json_schema") && f.schema() != null) {
      return write(p.jsonInvalid() ? SchemaInstances.invalid(f.schema())
          : SchemaInstances.minimal(f.schema()));
    }
    if (f.type().equals("json_object")) {
      String json = "{\"answer\": " + quote(sentence(r)) + "}";
      // No schema to violate, so "invalid" means JSON that does not parse at all.
      return p.jsonInvalid() ? json.substring(0, json.length() / 2) : json;
    }
    return sentence(r);
  }

  /** "Simulated answer from gpt-4o: you asked about <first words of the question>." */
  static String sentence(ChatRequest r) {
    List<String> gist = firstWords(r.lastUserText(), GIST_WORDS);
    if (gist.isEmpty()) {
      return "Simulated answer from " + r.model() + ".";
    }
    String about = String.join(" ", gist).replaceAll("[\\p{Punct}\\s]+$", "");
    return "Simulated answer from " + r.model() + ": you asked about " + about + ".";
  }

  /**
   * The first {@code n} whitespace-separated words. Scans only as far as it needs, since the
   * benchmark sends kilobyte-long messages and a regex split of the whole text showed up as the
   * simulator's largest cost.
   */
  static List<String> firstWords(String text, int n) {
    List<String> out = new ArrayList<>(n);
    int i = 0;
    int len = text.length();
    while (out.size() < n && i < len) {
      while (i < len && Character.isWhitespace(text.charAt(i))) {
        i++;
      }
      int start = i;
      while (i < len && !Character.isWhitespace(text.charAt(i))) {
        i++;
      }
      if (i > start) {
        out.add(text.substring(start, i));
      }
    }
    return out;
  }

  private static String quote(String s) {
    return write(Json.MAPPER.getNodeFactory().textNode(s));
  }

  private static String write(JsonNode node) {
    try {
      return Json.MAPPER.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write JSON: " + e.getMessage(), e);
    }
  }
}
