package dev.keel.simulator;

import java.util.ArrayList;
import java.util.List;

/**
 * One tool call scripted by {@code tools=name({json}),name2({json})}.
 *
 * @param name the tool to call
 * @param argumentsJson the call's arguments as a JSON object text, or null to derive them from
 *     the tool's schema
 */
record ScriptedCall(String name, String argumentsJson) {

  static List<ScriptedCall> parseList(String value) {
    List<ScriptedCall> calls = new ArrayList<>();
    int depth = 0;
    boolean inQuote = false;
    int start = 0;
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (inQuote && c == '\\') {
        i++;
      } else if (c == '"') {
        inQuote = !inQuote;
      } else if (!inQuote && (c == '(' || c == '{' || c == '[')) {
        depth++;
      } else if (!inQuote && (c == ')' || c == '}' || c == ']')) {
        depth--;
      } else if (!inQuote && depth == 0 && c == ',') {
        calls.add(parseOne(value.substring(start, i)));
        start = i + 1;
      }
    }
    calls.add(parseOne(value.substring(start)));
    return List.copyOf(calls);
  }

  private static ScriptedCall parseOne(String text) {
    String t = text.strip();
    int open = t.indexOf('(');
    if (open < 0) {
      return new ScriptedCall(requireName(t), null);
    }
    if (!t.endsWith(")")) {
      throw new InvalidDirectiveException("tools entry must look like name({...}): " + t);
    }
    String args = t.substring(open + 1, t.length() - 1).strip();
    if (args.isEmpty()) {
      args = "{}";
    }
    try {
      if (!Json.MAPPER.readTree(args).isObject()) {
        throw new InvalidDirectiveException("tools arguments must be a JSON object: " + args);
      }
    } catch (java.io.IOException e) {
      throw new InvalidDirectiveException("tools arguments are not valid JSON: " + args);
    }
    return new ScriptedCall(requireName(t.substring(0, open).strip()), args);
  }

  private static String requireName(String name) {
    if (name.isEmpty()) {
      throw new InvalidDirectiveException("tools entry must name a tool: '" + name + "'");
    }
    return name;
  }
}
