package dev.keel.sdk;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Mustache-style {@code {{variable}}} substitution, as Langfuse's SDKs do it client-side. */
final class Templates {

  private static final Pattern VARIABLE = Pattern.compile("\\{\\{\\s*([\\w.\\-]+)\\s*}}");

  private Templates() {
  }

  static String render(String template, Map<String, ?> variables) {
    if (template == null || variables == null || variables.isEmpty()) {
      return template;
    }
    Matcher m = VARIABLE.matcher(template);
    StringBuilder out = new StringBuilder(template.length());
    while (m.find()) {
      String name = m.group(1);
      String value = variables.containsKey(name) ? text(variables.get(name)) : m.group();
      m.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    m.appendTail(out);
    return out.toString();
  }

  /** A placeholder's item as a message: a {@link ChatMessage} or a role/content map. */
  static ChatMessage message(Object item) {
    if (item instanceof ChatMessage message) {
      return message;
    }
    if (item instanceof Map<?, ?> map) {
      return ChatMessage.of(String.valueOf(map.get("role")), text(map.get("content")));
    }
    throw new IllegalArgumentException("placeholder items must be ChatMessage or a map with "
        + "role and content: " + item);
  }

  static Map<String, Object> copy(Map<String, Object> map) {
    return Collections.unmodifiableMap(new LinkedHashMap<>(map));
  }

  private static String text(Object value) {
    if (value == null) {
      return "";
    }
    if (value instanceof CharSequence s) {
      return s.toString();
    }
    return Json.toNode(value).toString();
  }
}
