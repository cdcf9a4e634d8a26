package dev.keel.server.ui;

import dev.keel.core.trace.Observation;
import dev.keel.server.ui.UiRoutes.NotFound;
import dev.keel.server.ui.UiRoutes.Rendered;
import dev.keel.store.ObservationQuery;
import dev.keel.store.Page;
import dev.keel.store.Score;
import dev.keel.store.Store;
import dev.keel.store.TraceSummary;
import dev.keel.store.publicapi.PublicApiJson;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * One trace: its header (user, session, tags, cost, latency), scores, and the observation tree
 * drawn as a timing waterfall. Observations come from the store a page of {@link #PAGE_SIZE} at
 * a time; their details are inline for small traces and load on opening for large ones.
 */
final class TracePage {

  static final int PAGE_SIZE = 500;
  /** Up to this many observations, every detail is rendered with the page. */
  static final int INLINE_DETAILS = 40;

  private final Store store;

  TracePage(Store store) {
    this.store = store;
  }

  void register(UiRoutes.Router r) {
    r.page("/ui/traces/{id}", (q, s) -> {
      TraceSummary t = trace(q.path("id"));
      return Rendered.html(Layout.page(t.trace().name() == null ? "Trace" : t.trace().name(),
          "traces", s, render(t, q.page())));
    });
    r.page("/ui/traces/{id}/json", (q, s) -> {
      TraceSummary t = trace(q.path("id"));
      String id = t.trace().id();
      var json = PublicApiJson.traceWithObservations(t,
          store.traces().observationsOf(Pages.PROJECT, id),
          store.scores().scoresOfTraces(Pages.PROJECT, List.of(id)).getOrDefault(id, List.of()));
      return new Rendered("application/json", json.toPrettyString());
    });
    r.page("/ui/traces/{id}/observations/{obs}", (q, s) ->
        Rendered.html(Observations.detail(q.path("id"), observation(q.path("id"),
            q.path("obs")))));
    r.page("/ui/traces/{id}/field", (q, s) -> Rendered.html(Payloads.full(field(q))));
  }

  private TraceSummary trace(String id) {
    return store.traces().findTrace(Pages.PROJECT, id)
        .orElseThrow(() -> new NotFound("no trace with id " + id));
  }

  private Observation observation(String traceId, String id) {
    return store.traces().observationsOf(Pages.PROJECT, traceId).stream()
        .filter(o -> o.id().equals(id)).findFirst()
        .orElseThrow(() -> new NotFound("no observation " + id + " in trace " + traceId));
  }

  private String field(UiRequest q) {
    String f = q.param("f");
    if (!"input".equals(f) && !"output".equals(f) && !"metadata".equals(f)) {
      throw new IllegalArgumentException("f must be input, output or metadata: " + f);
    }
    String obs = q.param("obs");
    if (obs == null) {
      var t = trace(q.path("id")).trace();
      return "input".equals(f) ? t.input() : "output".equals(f) ? t.output() : t.metadata();
    }
    Observation o = observation(q.path("id"), obs);
    return "input".equals(f) ? o.input() : "output".equals(f) ? o.output() : o.metadata();
  }

  private String render(TraceSummary t, int pageNo) {
    var tr = t.trace();
    Page<Observation> page = observations(t, pageNo);
    List<Observation> obs = new ArrayList<>(page.items());
    obs.sort(Comparator.comparing(Observation::startTime));
    List<Score> scores = store.scores().scoresOfTraces(Pages.PROJECT, List.of(tr.id()))
        .getOrDefault(tr.id(), List.of());

    StringBuilder b = new StringBuilder();
    header(b, t);
    b.append(scores(scores));
    b.append("<section><h2>Observations</h2>");
    b.append(Observations.waterfall(tr.id(), obs, obs.size() <= INLINE_DETAILS));
    if (page.totalPages() > 1) {
      b.append(Html.pager("/ui/traces/" + Html.url(tr.id()), page.page(), page.totalPages(),
          page.totalItems()));
    }
    b.append("</section>");
    String base = "/ui/traces/" + Html.url(tr.id()) + "/field?f=";
    b.append("<section class=\"io\"><div><h2>Input</h2>")
        .append(Payloads.render(tr.input(), base + "input")).append("</div><div><h2>Output</h2>")
        .append(Payloads.render(tr.output(), base + "output")).append("</div></section>");
    b.append("<section><h2>Metadata</h2>").append(Payloads.render(tr.metadata(),
        base + "metadata")).append("<p><a href=\"/ui/traces/").append(Html.esc(Html.url(tr.id())))
        .append("/json\">Raw JSON</a></p></section>");
    return b.toString();
  }

  /**
   * A small trace is read whole (the trace-id lookup is about twice as fast as the paged query,
   * which also counts); a large one a page at a time.
   */
  private Page<Observation> observations(TraceSummary t, int pageNo) {
    String id = t.trace().id();
    if (pageNo == 1 && t.observationCount() <= PAGE_SIZE) {
      List<Observation> all = store.traces().observationsOf(Pages.PROJECT, id);
      if (all.size() <= PAGE_SIZE) {
        return new Page<>(all, 1, PAGE_SIZE, all.size());
      }
    }
    return store.traces().listObservations(new ObservationQuery(Pages.PROJECT, id, null, null,
        null, null, null, pageNo, PAGE_SIZE));
  }

  private static void header(StringBuilder b, TraceSummary t) {
    var tr = t.trace();
    b.append("<h1>").append(Html.esc(tr.name() == null ? "(unnamed trace)" : tr.name()))
        .append("</h1><dl class=\"facts\">");
    fact(b, "Trace id", "<code>" + Html.esc(tr.id()) + "</code>");
    fact(b, "Time (UTC)", Html.time(tr.timestamp()));
    fact(b, "User", TracesPage.userLink(tr.userId()));
    fact(b, "Session", TracesPage.sessionLink(tr.sessionId()));
    fact(b, "Total cost", "<span id=\"trace-cost\">" + Html.usd(t.totalCost())
        + (t.costIncomplete() ? " (some calls unpriced)" : "") + "</span>");
    fact(b, "Latency", Html.seconds(t.latencySeconds()));
    fact(b, "Observations", String.valueOf(t.observationCount()));
    fact(b, "Environment", Html.esc(tr.environment()));
    if (tr.release() != null) {
      fact(b, "Release", Html.esc(tr.release()));
    }
    StringBuilder tags = new StringBuilder();
    tr.tags().forEach(tag -> tags.append(Html.badge("tag", tag)));
    fact(b, "Tags", tags.toString());
    b.append("</dl>");
  }

  private static void fact(StringBuilder b, String term, String html) {
    b.append("<div><dt>").append(term).append("</dt><dd>").append(html).append("</dd></div>");
  }

  private static String scores(List<Score> scores) {
    if (scores.isEmpty()) {
      return "";
    }
    StringBuilder b = new StringBuilder("<section><h2>Scores</h2><table class=\"list\">"
        + "<thead><tr><th>Name</th><th>Value</th><th>Source</th><th>Comment</th></tr></thead>"
        + "<tbody>");
    for (Score s : scores) {
      String v = s.stringValue() != null ? s.stringValue() : String.valueOf(s.value());
      b.append("<tr><td>").append(Html.esc(s.name())).append("</td><td>").append(Html.esc(v))
          .append("</td><td>").append(Html.esc(s.source())).append("</td><td>")
          .append(Html.esc(s.comment())).append("</td></tr>");
    }
    return b.append("</tbody></table></section>").toString();
  }
}
