package dev.keel.prompts;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A parsed {@code {{variable}}} template. Names are letters, digits and underscores, not
 * starting with a digit; spaces inside the braces are allowed. A lone {@code }}} is literal
 * text, but every {@code {{} must close, so a typo fails at save time instead of reaching a
 * model as literal braces. Values are inserted as they are, without escaping, as the Langfuse
 * SDKs' {@code compile} does.
 */
final class Template {

  private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  private final List<String> parts;

  private Template(List<String> parts) {
    this.parts = parts;
  }

  /** Parts alternate literal, variable, literal...; the first is always literal. */
  static Template parse(String text, String where) {
    var parts = new ArrayList<String>();
    int at = 0;
    while (true) {
      int open = text.indexOf("{{", at);
      if (open < 0) {
        parts.add(text.substring(at));
        return new Template(parts);
      }
      int close = text.indexOf("}}", open + 2);
      if (close < 0) {
        throw PromptException.invalid("unclosed '{{' at " + position(text, open) + " of "
            + where, "prompt");
      }
      String name = text.substring(open + 2, close).strip();
      if (!NAME.matcher(name).matches()) {
        throw PromptException.invalid("invalid variable name '" + name + "' at "
            + position(text, open) + " of " + where + "; use letters, digits and _",
            "prompt");
      }
      parts.add(text.substring(at, open));
      parts.add(name);
      at = close + 2;
    }
  }

  /** Variable names in order of first use. */
  Set<String> variables() {
    var names = new LinkedHashSet<String>();
    for (int i = 1; i < parts.size(); i += 2) {
      names.add(parts.get(i));
    }
    return names;
  }

  /** Fills in the variables; the caller has checked that none is missing. */
  String render(Map<String, ?> values) {
    var out = new StringBuilder();
    for (int i = 0; i < parts.size(); i++) {
      if (i % 2 == 0) {
        out.append(parts.get(i));
      } else {
        Object v = values.get(parts.get(i));
        out.append(v == null ? "" : String.valueOf(v));
      }
    }
    return out.toString();
  }

  private static String position(String text, int index) {
    int line = 1;
    int lineStart = 0;
    for (int i = 0; i < index; i++) {
      if (text.charAt(i) == '\n') {
        line++;
        lineStart = i + 1;
      }
    }
    return "line " + line + ", column " + (index - lineStart + 1);
  }
}
