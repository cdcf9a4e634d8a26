package dev.keel.server.ui;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Building blocks of the UI's HTML. Every value that comes from data goes through {@link #esc}
 * (text and attributes alike) or {@link #url} (query parameters); pages concatenate only
 * literals and the results of these.
 */
final class Html {

  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

  private Html() {}

  /** Escapes text for element content and quoted attribute values alike. */
  static String esc(Object value) {
    if (value == null) {
      return "";
    }
    String s = value.toString();
    StringBuilder b = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '&' -> b.append("&amp;");
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '"' -> b.append("&quot;");
        case '\'' -> b.append("&#39;");
        // NUL and the other control characters HTML does not allow (tab and line breaks
        // aside) show as the replacement character instead of reaching the page raw.
        default -> b.append(c < 0x20 && c != '\t' && c != '\n' && c != '\r' || c == 0x7f
            ? '\uFFFD' : c);
      }
    }
    return b.toString();
  }

  /** Encodes a query parameter or path segment value. */
  static String url(String value) {
    return value == null ? "" : URLEncoder.encode(value, StandardCharsets.UTF_8)
        .replace("+", "%20");
  }

  static String time(Instant t) {
    return t == null ? "" : TIME.format(t);
  }

  /** Dollars with enough digits for sub-cent calls, e.g. {@code $0.000123}. */
  static String usd(BigDecimal v) {
    if (v == null) {
      return "unknown";
    }
    BigDecimal abs = v.abs();
    int scale = abs.compareTo(BigDecimal.ONE) >= 0 ? 2 : abs.signum() == 0 ? 2 : 6;
    return "$" + v.setScale(scale, RoundingMode.HALF_UP).toPlainString();
  }

  static String seconds(Double s) {
    if (s == null) {
      return "";
    }
    return s < 1 ? Math.round(s * 1000) + " ms" : String.format("%.2f s", s);
  }

  static String millis(Duration d) {
    return d == null ? "" : seconds(d.toNanos() / 1e9);
  }

  /** A hidden CSRF field for a state-changing form. */
  static String csrf(UiSession s) {
    return "<input type=\"hidden\" name=\"csrf\" value=\"" + esc(s.csrf()) + "\">";
  }

  /** A labelled badge, its class chosen from a fixed set by the caller. */
  static String badge(String cssClass, Object text) {
    return "<span class=\"badge " + cssClass + "\">" + esc(text) + "</span>";
  }

  /** Previous / next links keeping the other query parameters ({@code base} is escaped). */
  static String pager(String base, int page, int totalPages, long total) {
    String sep = base.contains("?") ? "&" : "?";
    StringBuilder b = new StringBuilder("<nav class=\"pager\" aria-label=\"pages\">");
    if (page > 1) {
      b.append("<a rel=\"prev\" href=\"").append(esc(base + sep + "page=" + (page - 1)))
          .append("\">&larr; Newer</a>");
    }
    b.append("<span>page ").append(page).append(" of ").append(Math.max(1, totalPages))
        .append(" &middot; ").append(total).append(" in all</span>");
    if (page < totalPages) {
      b.append("<a rel=\"next\" href=\"").append(esc(base + sep + "page=" + (page + 1)))
          .append("\">Older &rarr;</a>");
    }
    return b.append("</nav>").toString();
  }
}
