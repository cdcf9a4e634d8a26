package dev.keel.server.ui;

import dev.keel.server.ui.UiRoutes.NotFound;
import dev.keel.server.ui.UiRoutes.Rendered;
import dev.keel.store.DailyMetrics;
import dev.keel.store.DailyQuery;
import dev.keel.store.Page;
import dev.keel.store.SessionQuery;
import dev.keel.store.SessionSummary;
import dev.keel.store.Store;
import dev.keel.store.TraceQuery;
import dev.keel.store.TraceSummary;
import java.math.BigDecimal;
import java.util.List;

/** Sessions (conversations in order) and users (their traces, usage and spend). */
final class SessionsPage {

  private final Store store;

  SessionsPage(Store store) {
    this.store = store;
  }

  void register(UiRoutes.Router r) {
    r.page("/ui/sessions", (q, s) -> Rendered.html(Layout.page("Sessions", "sessions", s,
        list(q))));
    r.page("/ui/sessions/{id}", (q, s) -> Rendered.html(Layout.page("Session", "sessions", s,
        session(q.path("id")))));
    r.page("/ui/users", (q, s) -> {
      String user = q.param("user");
      if (user != null) {
        return Rendered.html(Layout.page("User", "users", s, user(user, 1)));
      }
      return Rendered.html(Layout.page("Users", "users", s, "<h1>Users</h1>" + userForm()
          + "<p class=\"muted\">Or follow a user link from the traces list.</p>"));
    });
    r.page("/ui/users/{id}", (q, s) -> Rendered.html(Layout.page("User", "users", s,
        user(q.path("id"), q.page()))));
  }

  private String list(UiRequest q) {
    java.time.Instant[] range = q.fromTo();
    Page<SessionSummary> page = store.sessions().list(new SessionQuery(Pages.PROJECT,
        range[0], range[1], null, q.page(), 50));
    StringBuilder b = new StringBuilder("<h1>Sessions</h1>");
    if (page.items().isEmpty()) {
      return b.append("<p class=\"empty\">No sessions yet.</p>").toString();
    }
    b.append("<table class=\"list\"><thead><tr><th>Session</th><th>Started (UTC)</th>"
        + "<th class=\"num\">Traces</th><th>Environment</th></tr></thead><tbody>");
    for (SessionSummary s : page.items()) {
      b.append("<tr><td>").append(TracesPage.sessionLink(s.id())).append("</td><td>")
          .append(Html.time(s.createdAt())).append("</td><td class=\"num\">")
          .append(s.traceCount()).append("</td><td>").append(Html.esc(s.environment()))
          .append("</td></tr>");
    }
    b.append("</tbody></table>");
    return b.append(Html.pager("/ui/sessions", page.page(), page.totalPages(),
        page.totalItems())).toString();
  }

  private String session(String id) {
    SessionSummary s = store.sessions().find(Pages.PROJECT, id)
        .orElseThrow(() -> new NotFound("no session with id " + id));
    List<TraceSummary> traces = store.sessions().traces(Pages.PROJECT, id);
    StringBuilder b = new StringBuilder("<h1>Session ").append(Html.esc(s.id()))
        .append("</h1><p class=\"muted\">").append(s.traceCount()).append(" traces since ")
        .append(Html.time(s.createdAt())).append(" UTC</p><ol class=\"conversation\">");
    for (TraceSummary t : traces) {
      String base = "/ui/traces/" + Html.url(t.trace().id()) + "/field?f=";
      b.append("<li class=\"card\"><p><a href=\"/ui/traces/")
          .append(Html.esc(Html.url(t.trace().id()))).append("\">")
          .append(Html.time(t.trace().timestamp())).append(' ')
          .append(Html.esc(t.trace().name())).append("</a> · ").append(Html.usd(t.totalCost()))
          .append("</p><div class=\"io\"><div>")
          .append(Payloads.render(t.trace().input(), base + "input")).append("</div><div>")
          .append(Payloads.render(t.trace().output(), base + "output"))
          .append("</div></div></li>");
    }
    return b.append("</ol>").toString();
  }

  private static String userForm() {
    return "<form class=\"filters\" method=\"get\" action=\"/ui/users\"><label>User id"
        + "<input name=\"user\" required></label><button type=\"submit\">Show</button></form>";
  }

  private String user(String user, int pageNo) {
    List<DailyMetrics> days = store.reports().daily(new DailyQuery(Pages.PROJECT, null, user,
        null, null, null));
    long traces = 0;
    long tokens = 0;
    BigDecimal cost = BigDecimal.ZERO;
    for (DailyMetrics d : days) {
      traces += d.countTraces();
      cost = cost.add(d.totalCost());
      for (var u : d.usage()) {
        tokens += u.totalUsage();
      }
    }
    Page<TraceSummary> page = store.traces().listTraces(new TraceQuery(Pages.PROJECT, null,
        null, user, null, null, null, null, pageNo, TracesPage.PAGE_SIZE));
    return "<h1>User " + Html.esc(user) + "</h1>" + userForm()
        + "<div class=\"stats\"><div class=\"stat\"><span>Traces</span><b>" + traces
        + "</b></div><div class=\"stat\"><span>Tokens</span><b>" + tokens + "</b></div>"
        + "<div class=\"stat\"><span>Spend</span><b>" + Html.usd(cost) + "</b></div></div>"
        + TracesPage.table(page.items()) + Html.pager("/ui/users/" + Html.url(user),
            page.page(), page.totalPages(), page.totalItems());
  }
}
