package dev.keel.server.ui;

import dev.keel.server.ui.UiRoutes.Rendered;
import dev.keel.store.Page;
import dev.keel.store.Store;
import dev.keel.store.TraceQuery;
import dev.keel.store.TraceSummary;
import java.util.Arrays;
import java.util.List;

/** The traces list: filters in the query string, one page of the store's query at a time. */
final class TracesPage {

  static final int PAGE_SIZE = 50;
  private static final String[] FILTERS = {"from", "to", "user", "session", "name", "tags",
      "env"};

  private final Store store;

  TracesPage(Store store) {
    this.store = store;
  }

  void register(UiRoutes.Router r) {
    r.page("/ui/traces", (q, s) -> Rendered.html(Layout.page("Traces", "traces", s,
        render(q))));
  }

  private String render(UiRequest q) {
    List<String> tags = q.param("tags") == null ? List.of()
        : Arrays.stream(q.param("tags").split(",")).map(String::strip)
            .filter(t -> !t.isEmpty()).toList();
    var query = new TraceQuery(Pages.PROJECT, q.time("from", false), q.time("to", true),
        q.param("user"), q.param("session"), q.param("name"), tags, q.param("env"),
        q.page(), PAGE_SIZE);
    Page<TraceSummary> page = store.traces().listTraces(query);
    StringBuilder b = new StringBuilder("<h1>Traces</h1>");
    filters(b, q);
    b.append(table(page.items()));
    b.append(Html.pager(base(q), page.page(), page.totalPages(), page.totalItems()));
    return b.toString();
  }

  private static void filters(StringBuilder b, UiRequest q) {
    b.append("<form class=\"filters\" method=\"get\" action=\"/ui/traces\" role=\"search\">");
    field(b, q, "from", "From", "date");
    field(b, q, "to", "To", "date");
    field(b, q, "user", "User", "text");
    field(b, q, "session", "Session", "text");
    field(b, q, "name", "Name", "text");
    field(b, q, "tags", "Tags (a,b)", "text");
    field(b, q, "env", "Environment", "text");
    b.append("<button type=\"submit\">Filter</button><a class=\"button ghost\""
        + " href=\"/ui/traces\">Clear</a></form>");
  }

  private static void field(StringBuilder b, UiRequest q, String name, String label,
      String type) {
    b.append("<label>").append(label).append("<input name=\"").append(name)
        .append("\" type=\"").append(type).append("\" value=\"").append(Html.esc(q.param(name)))
        .append("\"></label>");
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
