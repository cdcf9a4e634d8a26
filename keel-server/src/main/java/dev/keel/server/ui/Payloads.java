package dev.keel.server.ui;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * Input and output shown for people: chat messages as bubbles with their tool calls, other JSON
 * pretty-printed, plain text as is. Anything longer than {@link #LIMIT} characters is cut, with
 * a button that loads the whole value.
 */
final class Payloads {

  /** Characters shown before a payload is cut; the rest is one click away. */
  static final int LIMIT = 4000;
  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(SerializationFeature.INDENT_OUTPUT);

  private Payloads() {}

  /**
   * Renders a payload; {@code fullUrl} loads the untruncated value when it is cut.
   */
  static String render(String raw, String fullUrl) {
    if (raw == null || raw.isEmpty()) {
      return "<p class=\"muted\">none</p>";
    }
    JsonNode n = parse(raw);
    if (n != null && raw.length() <= LIMIT) {
      JsonNode messages = messages(n);
      if (messages != null) {
        return chat(messages);
      }
    }
    String text = n != null && (n.isContainerNode()) ? pretty(n)
        : n != null && n.isTextual() ? n.asText() : raw;
    return pre(text, fullUrl);
  }

  /** The whole value, pretty when it is JSON, as the "show all" button loads it. */
  static String full(String raw) {
    JsonNode n = parse(raw);
    String text = n != null && n.isContainerNode() ? pretty(n) : raw == null ? "" : raw;
    return "<pre class=\"payload\">" + Html.esc(text) + "</pre>";
  }

  private static String pre(String text, String fullUrl) {
    if (text.length() <= LIMIT) {
      return "<pre class=\"payload\">" + Html.esc(text) + "</pre>";
    }
    return "<div class=\"cut\"><pre class=\"payload\">" + Html.esc(text.substring(0, LIMIT))
        + "…</pre><p class=\"muted\">Showing " + LIMIT + " of " + text.length()
        + " characters. <button type=\"button\" class=\"small\" hx-get=\"" + Html.esc(fullUrl)
        + "\" hx-target=\"closest .cut\" hx-swap=\"outerHTML\">Show all</button></p></div>";
  }

  /** The message list of a chat payload: an array of messages or {"messages": [...]}. */
  private static JsonNode messages(JsonNode n) {
    if (n.isObject() && n.path("role").isTextual()) {
      return JSON.createArrayNode().add(n);
    }
    JsonNode list = n.isObject() && n.get("messages") != null ? n.get("messages") : n;
    if (!list.isArray() || list.isEmpty()) {
      return null;
    }
    for (JsonNode m : list) {
      if (!m.isObject() || !m.path("role").isTextual()) {
        return null;
      }
    }
    return list;
  }

  private static String chat(JsonNode messages) {
    StringBuilder b = new StringBuilder("<ol class=\"chat\">");
    for (JsonNode m : messages) {
      String role = m.path("role").asText();
      b.append("<li class=\"msg\"><span class=\"role\">").append(Html.esc(role))
          .append("</span>");
      JsonNode content = m.get("content");
      if (content != null && content.isTextual()) {
        b.append("<div class=\"text\">").append(Html.esc(content.asText())).append("</div>");
      } else if (content != null && !content.isNull()) {
        b.append("<pre class=\"payload\">").append(Html.esc(pretty(content))).append("</pre>");
      }
      JsonNode calls = m.get("tool_calls");
      if (calls != null && calls.isArray()) {
        for (JsonNode c : calls) {
          b.append("<div class=\"tool\"><span class=\"badge\">tool call</span> ")
              .append(Html.esc(c.path("function").path("name").asText(c.path("name").asText())))
              .append("<pre class=\"payload\">")
              .append(Html.esc(pretty(c.path("function").path("arguments"))))
              .append("</pre></div>");
        }
      }
      b.append("</li>");
    }
    return b.append("</ol>").toString();
  }

  private static JsonNode parse(String raw) {
    String t = raw.strip();
    if (t.isEmpty() || "{[\"".indexOf(t.charAt(0)) < 0) {
      return null;
    }
    try {
      return JSON.readTree(t);
    } catch (Exception e) {
      return null;
    }
  }

  private static String pretty(JsonNode n) {
    if (n.isTextual()) {
      JsonNode inner = parse(n.asText());
      return inner == null ? n.asText() : pretty(inner);
    }
    try {
      return JSON.writeValueAsString(n);
    } catch (Exception e) {
      return n.toString();
    }
  }
}
