package dev.keel.server.ui;

import dev.keel.server.ui.UiRoutes.Rendered;
import dev.keel.store.Page;
import dev.keel.store.Store;
import dev.keel.store.TraceCursor;
import dev.keel.store.TraceQuery;
import dev.keel.store.TraceSummary;
import io.helidon.http.Status;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/** The traces list: filters in the query string, one page of the store's query at a time. */
final class TracesPage {

  static final int PAGE_SIZE = 50;
  /**
   * The most matching traces counted for the pager: counting every one of a million costs a
   * page more than the rows it shows; past this the pager says "more than".
   */
  static final long COUNT_CAP = 10_000;
  private static final String[] FILTERS = {"from", "to", "user", "session", "name", "tags",
      "env", "model", "level", "min_cost", "max_cost", "min_latency", "max_latency"};
  private static final String[] LEVELS = {"DEBUG", "DEFAULT", "WARNING", "ERROR"};
  // More than any real cost (USD) or latency (seconds); keeps bounds within the store's integers.
  private static final BigDecimal MAX_BOUND = BigDecimal.valueOf(1_000_000_000L);

  private final Store store;

  TracesPage(Store store) {
    this.store = store;
  }

  void register(UiRoutes.Router r) {
    r.page("/ui/traces", (q, s) -> render(q, s));
  }

  /** The list, or the form again with what is wrong in it (400) when a filter is invalid. */
  private Rendered render(UiRequest q, UiSession s) {
    TraceQuery query;
    TraceCursor after;
    try {
      query = query(q);
      after = q.param("after") == null ? null : TraceCursor.decode(q.param("after"));
    } catch (IllegalArgumentException e) {
      StringBuilder b = new StringBuilder("<h1>Traces</h1>");
      filters(b, q, e.getMessage());
      return Rendered.html(Layout.page("Traces", "traces", s, b.toString()))
          .withStatus(Status.BAD_REQUEST_400);
    }
    Page<TraceSummary> page = store.traces().browseTraces(query, after, COUNT_CAP);
    StringBuilder b = new StringBuilder("<h1>Traces</h1>");
    filters(b, q, null);
    b.append(table(page.items()));
    b.append(pager(base(q), page));
    return Rendered.html(Layout.page("Traces", "traces", s, b.toString()));
  }

  private static TraceQuery query(UiRequest q) {
    List<String> tags = q.param("tags") == null ? List.of()
        : Arrays.stream(q.param("tags").split(",")).map(String::strip)
            .filter(t -> !t.isEmpty()).toList();
    String level = q.param("level");
    if (level != null && !Arrays.asList(LEVELS).contains(level)) {
      throw new IllegalArgumentException("level must be one of " + String.join(", ", LEVELS)
          + ": " + level);
    }
    BigDecimal minCost = bound(q, "min_cost");
    BigDecimal maxCost = bound(q, "max_cost");
    BigDecimal minLatency = bound(q, "min_latency");
    BigDecimal maxLatency = bound(q, "max_latency");
    ordered("min_cost", minCost, "max_cost", maxCost);
    ordered("min_latency", minLatency, "max_latency", maxLatency);
    Instant[] range = q.fromTo();
    return new TraceQuery(Pages.PROJECT, range[0], range[1],
        q.param("user"), q.param("session"), q.param("name"), tags, q.param("env"),
        q.param("model"), level, minCost, maxCost, duration(minLatency), duration(maxLatency),
        q.page(), PAGE_SIZE);
  }

  private static BigDecimal bound(UiRequest q, String name) {
    String v = q.param(name);
    if (v == null) {
      return null;
    }
    try {
      BigDecimal d = new BigDecimal(v);
      if (d.signum() >= 0 && d.compareTo(MAX_BOUND) <= 0) {
        return d;
      }
    } catch (NumberFormatException e) {
      // Reported below, with the same message as an out-of-range number.
    }
    throw new IllegalArgumentException(name + " must be a number from 0 to "
        + MAX_BOUND.toPlainString() + ": " + v);
  }

  private static void ordered(String minName, BigDecimal min, String maxName, BigDecimal max) {
    if (min != null && max != null && min.compareTo(max) > 0) {
      throw new IllegalArgumentException(minName + " must not exceed " + maxName + ": "
          + min.toPlainString() + " > " + max.toPlainString());
    }
  }

  private static Duration duration(BigDecimal seconds) {
    return seconds == null ? null : Duration.ofNanos(seconds.movePointRight(9)
        .setScale(0, RoundingMode.HALF_UP).longValueExact());
  }

  private static void filters(StringBuilder b, UiRequest q, String error) {
    b.append("<form class=\"filters\" method=\"get\" action=\"/ui/traces\" role=\"search\">");
    field(b, q, "from", "From", "date");
    field(b, q, "to", "To", "date");
    field(b, q, "user", "User", "text");
    field(b, q, "session", "Session", "text");
    field(b, q, "name", "Name", "text");
    field(b, q, "tags", "Tags (a,b)", "text");
    field(b, q, "env", "Environment", "text");
    field(b, q, "model", "Model", "text");
    levelField(b, q);
    field(b, q, "min_cost", "Min cost (USD)", "text");
    field(b, q, "max_cost", "Max cost (USD)", "text");
    field(b, q, "min_latency", "Min latency (s)", "text");
    field(b, q, "max_latency", "Max latency (s)", "text");
    b.append("<button type=\"submit\">Filter</button><a class=\"button ghost\""
        + " href=\"/ui/traces\">Clear</a></form>");
    if (error != null) {
      b.append("<p class=\"error\" role=\"alert\" id=\"filter-error\">")
          .append(Html.esc(error)).append("</p>");
    }
  }

  private static void field(StringBuilder b, UiRequest q, String name, String label,
      String type) {
    // Numbers are text fields with a decimal keyboard: a browser would silently drop "1,5".
    String mode = name.startsWith("min_") || name.startsWith("max_")
        ? "\" inputmode=\"decimal" : "";
    b.append("<label>").append(label).append("<input name=\"").append(name)
        .append("\" type=\"").append(type).append(mode).append("\" value=\"")
        .append(Html.esc(q.param(name))).append("\"></label>");
  }

  private static void levelField(StringBuilder b, UiRequest q) {
    b.append("<label>Level<select name=\"level\"><option value=\"\">any</option>");
    for (String l : LEVELS) {
      b.append("<option").append(l.equals(q.param("level")) ? " selected" : "").append('>')
          .append(l).append("</option>");
    }
    b.append("</select></label>");
  }

  /** A table of trace rows; sessions and the user page reuse it. */
  static String table(List<TraceSummary> traces) {
    if (traces.isEmpty()) {
      return "<p class=\"empty\">No traces match.</p>";
    }
    StringBuilder b = new StringBuilder("<table class=\"list\" id=\"traces\"><thead><tr>"
        + "<th>Time (UTC)</th><th>Name</th><th>User</th><th>Session</th><th>Tags</th>"
        + "<th class=\"num\">Obs.</th><th class=\"num\">Latency</th><th class=\"num\">Cost</th>"
        + "</tr></thead><tbody>");
    for (TraceSummary t : traces) {
      var tr = t.trace();
      b.append("<tr><td><a href=\"/ui/traces/").append(Html.esc(Html.url(tr.id()))).append("\">")
          .append(Html.time(tr.timestamp())).append("</a></td><td>")
          .append(Html.esc(tr.name())).append("</td><td>").append(userLink(tr.userId()))
          .append("</td><td>").append(sessionLink(tr.sessionId())).append("</td><td>");
      tr.tags().forEach(tag -> b.append(Html.badge("tag", tag)));
      b.append("</td><td class=\"num\">").append(t.observationCount())
          .append("</td><td class=\"num\">").append(Html.seconds(t.latencySeconds()))
          .append("</td><td class=\"num\">").append(Html.usd(t.totalCost()))
          .append(t.costIncomplete() ? "<span title=\"some calls have no known price\">*</span>"
              : "")
          .append("</td></tr>");
    }
    return b.append("</tbody></table>").toString();
  }

  static String userLink(String user) {
    return user == null ? "" : "<a href=\"/ui/users/" + Html.esc(Html.url(user)) + "\">"
        + Html.esc(user) + "</a>";
  }

  static String sessionLink(String session) {
    return session == null ? "" : "<a href=\"/ui/sessions/" + Html.esc(Html.url(session))
        + "\">" + Html.esc(session) + "</a>";
  }

  /**
   * Newer (by page number) and older links: "Older" seeks past the page's last trace
   * ({@code after}), so deep pages cost what the first does; the total is capped at
   * {@link #COUNT_CAP}.
   */
  private static String pager(String base, Page<TraceSummary> page) {
    boolean capped = page.totalItems() > COUNT_CAP;
    String sep = base.contains("?") ? "&" : "?";
    StringBuilder b = new StringBuilder("<nav class=\"pager\" aria-label=\"pages\">");
    if (page.page() > 1) {
      b.append("<a rel=\"prev\" href=\"")
          .append(Html.esc(base + sep + "page=" + (page.page() - 1)))
          .append("\">&larr; Newer</a>");
    }
    b.append("<span>page ").append(page.page());
    if (capped) {
      b.append(" &middot; more than ").append(String.format("%,d", COUNT_CAP))
          .append(" in all</span>");
    } else {
      b.append(" of ").append(Math.max(1, page.totalPages())).append(" &middot; ")
          .append(page.totalItems()).append(" in all</span>");
    }
    List<TraceSummary> items = page.items();
    if (items.size() == page.limit() && (capped || page.page() < page.totalPages())) {
      String after = TraceCursor.after(items.get(items.size() - 1)).encode();
      b.append("<a rel=\"next\" href=\"").append(Html.esc(base + sep + "page="
          + (page.page() + 1) + "&after=" + Html.url(after))).append("\">Older &rarr;</a>");
    }
    return b.append("</nav>").toString();
  }

  private static String base(UiRequest q) {
    StringBuilder b = new StringBuilder("/ui/traces");
    char sep = '?';
    for (String f : FILTERS) {
      if (q.param(f) != null) {
        b.append(sep).append(f).append('=').append(Html.url(q.param(f)));
        sep = '&';
      }
    }
    return b.toString();
  }
}
