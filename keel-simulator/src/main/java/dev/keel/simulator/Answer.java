package dev.keel.simulator;

import java.util.ArrayList;
import java.util.List;

/**
 * What the simulated model says: text, or tool calls.
 *
 * @param text the answer text, or null when the answer is only tool calls
 * @param toolCalls calls to make, empty for a text answer
 */
record Answer(String text, List<ToolCall> toolCalls) {

  Answer {
    toolCalls = List.copyOf(toolCalls);
  }

  static Answer text(String text) {
    return new Answer(text, List.of());
  }

  boolean callsTools() {
    return !toolCalls.isEmpty();
  }

  /** The text split into word-sized stream chunks that concatenate back to it. */
  List<String> pieces() {
    return text == null ? List.of() : split(text);
  }

  /** Stream chunks the answer takes, which paces non-streaming delays too. */
  int chunkCount() {
    int n = pieces().size();
    for (ToolCall c : toolCalls) {
      n += 1 + split(c.argumentsJson()).size();
    }
    return Math.max(n, 1);
  }

  /** Everything the model "generated", for token counting. */
  String generatedText() {
    if (toolCalls.isEmpty()) {
      return text;
    }
    StringBuilder sb = new StringBuilder(text == null ? "" : text);
    for (ToolCall c : toolCalls) {
      sb.append(c.name()).append(c.argumentsJson());
    }
    return sb.toString();
  }

  static List<String> split(String s) {
    List<String> out = new ArrayList<>();
    int start = 0;
    for (int i = 1; i < s.length(); i++) {
      if (Character.isWhitespace(s.charAt(i)) && !Character.isWhitespace(s.charAt(i - 1))) {
        out.add(s.substring(start, i));
        start = i;
      }
    }
    if (start < s.length()) {
      out.add(s.substring(start));
    }
    return out;
  }

  /** One tool call; each wire gives it an id in its own style. */
  record ToolCall(String name, String argumentsJson) {}
}
