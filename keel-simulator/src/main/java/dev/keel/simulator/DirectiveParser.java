package dev.keel.simulator;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds {@code [[sim KEY=VALUE ...]]} blocks in message text and strips them out.
 *
 * <p>Values are bare ({@code fault=429}), double-quoted with backslash escapes
 * ({@code reply="It ships today."}), or bracketed: inside {@code ( [ {} } and quotes a bare value
 * may hold spaces, so {@code tools=search({"q": "a b"})} reads as one value. A block that never
 * closes is left as ordinary text. Text without {@code [[sim} is returned untouched and
 * unallocated, which keeps the common path cheap.
 */
final class DirectiveParser {

  static final String OPEN = "[[sim";
  private static final String CLOSE = "]]";

  private DirectiveParser() {}

  /** Text without its directives, and the directives in order. */
  record Parsed(String cleanText, List<Directive> directives) {}

  static Parsed parse(String text) {
    if (text == null || !text.contains(OPEN)) {
      return new Parsed(text == null ? "" : text, List.of());
    }
    List<Directive> found = new ArrayList<>();
    StringBuilder clean = new StringBuilder(text.length());
    int from = 0;
    while (true) {
      int start = text.indexOf(OPEN, from);
      Block block = start < 0 ? null : readBlock(text, start);
      if (block == null) {
        appendJoined(clean, text.substring(from));
        return new Parsed(clean.toString().strip(), List.copyOf(found));
      }
      appendJoined(clean, text.substring(from, start));
      found.add(new Directive(text.substring(start, block.end), block.values));
      from = block.end;
    }
  }

  /** Appends {@code part}, dropping its leading blanks when the text so far ends in one. */
  private static void appendJoined(StringBuilder clean, String part) {
    boolean endsBlank = clean.isEmpty()
        || Character.isWhitespace(clean.charAt(clean.length() - 1));
    clean.append(endsBlank ? part.stripLeading() : part);
  }

  private record Block(int end, Map<String, String> values) {}

  private static Block readBlock(String text, int start) {
    int i = start + OPEN.length();
    if (i < text.length() && !Character.isWhitespace(text.charAt(i))
        && !text.startsWith(CLOSE, i)) {
      return null;
    }
    Map<String, String> values = new LinkedHashMap<>();
    while (true) {
      i = skipBlanks(text, i);
      if (i >= text.length()) {
        return null;
      }
      if (text.startsWith(CLOSE, i)) {
        return new Block(i + CLOSE.length(), values);
      }
      int keyEnd = readKey(text, i);
      if (keyEnd == i) {
        return null;
      }
      String key = text.substring(i, keyEnd);
      if (keyEnd < text.length() && text.charAt(keyEnd) == '=') {
        Value value = readValue(text, keyEnd + 1);
        if (value == null) {
          return null;
        }
        values.put(key, value.text);
        i = value.end;
      } else {
        values.put(key, "true");
        i = keyEnd;
      }
    }
  }

  private static int skipBlanks(String text, int i) {
    while (i < text.length() && Character.isWhitespace(text.charAt(i))) {
      i++;
    }
    return i;
  }

  private static int readKey(String text, int i) {
    while (i < text.length()) {
      char c = text.charAt(i);
      if (!Character.isLetterOrDigit(c) && c != '_' && c != '-' && c != '.') {
        break;
      }
      i++;
    }
    return i;
  }

  private record Value(String text, int end) {}

  private static Value readValue(String text, int i) {
    if (i < text.length() && text.charAt(i) == '"') {
      return readQuoted(text, i + 1);
    }
    StringBuilder out = new StringBuilder();
    int depth = 0;
    boolean inQuote = false;
    while (i < text.length()) {
      char c = text.charAt(i);
      if (!inQuote && depth == 0
          && (Character.isWhitespace(c) || text.startsWith(CLOSE, i))) {
        break;
      }
      if (inQuote && c == '\\' && i + 1 < text.length()) {
        out.append(c).append(text.charAt(i + 1));
        i += 2;
        continue;
      }
      if (c == '"') {
        inQuote = !inQuote;
      } else if (!inQuote && (c == '(' || c == '[' || c == '{')) {
        depth++;
      } else if (!inQuote && (c == ')' || c == ']' || c == '}') && depth > 0) {
        depth--;
      }
      out.append(c);
      i++;
    }
    return inQuote || depth > 0 ? null : new Value(out.toString(), i);
  }

  private static Value readQuoted(String text, int i) {
    StringBuilder out = new StringBuilder();
    while (i < text.length()) {
      char c = text.charAt(i);
      if (c == '\\' && i + 1 < text.length()) {
        out.append(text.charAt(i + 1));
        i += 2;
      } else if (c == '"') {
        return new Value(out.toString(), i + 1);
      } else {
        out.append(c);
        i++;
      }
    }
    return null;
  }
}
