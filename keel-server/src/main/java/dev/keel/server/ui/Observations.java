package dev.keel.server.ui;

import dev.keel.core.trace.Level;
import dev.keel.core.trace.Observation;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The observation tree as a waterfall, and one observation's details. */
final class Observations {

  private Observations() {}

  /**
   * Rows in tree order (children after their parent, by start time), each with a bar placed
   * on the trace's time line. An observation whose parent is not on this page is a root.
   */
  static String waterfall(String traceId, List<Observation> byStart, boolean inline) {
    if (byStart.isEmpty()) {
      return "<p class=\"empty\">No observations.</p>";
    }
    Instant t0 = byStart.get(0).startTime();
    Instant t1 = t0;
    for (Observation o : byStart) {
      Instant end = o.endTime() == null ? o.startTime() : o.endTime();
      t1 = end.isAfter(t1) ? end : t1;
    }
    double span = Math.max(1, Duration.between(t0, t1).toNanos());
    StringBuilder b = new StringBuilder("<div class=\"waterfall\" id=\"tree\" role=\"tree\">"
        + "<div class=\"wf-head\"><span>Name</span><span>Model</span><span>Timeline ("
        + Html.millis(Duration.between(t0, t1)) + ")</span><span class=\"num\">Duration</span>"
        + "<span class=\"num\">Tokens</span><span class=\"num\">Cost</span></div>");
    for (var row : treeOrder(byStart)) {
      row(b, traceId, row.o(), row.depth(), t0, span, inline);
    }
    return b.append("</div>").toString();
  }

  static String detail(String traceId, Observation o) {
    String base = "/ui/traces/" + Html.url(traceId) + "/field?obs=" + Html.url(o.id()) + "&f=";
    StringBuilder b = new StringBuilder("<div class=\"obs-detail\"><dl class=\"facts\">");
    fact(b, "Type", Html.esc(o.type()));
    fact(b, "Level", Html.esc(o.level()));
    if (o.statusMessage() != null) {
      fact(b, "Status", Html.esc(o.statusMessage()));
    }
    if (o.promptName() != null) {
      fact(b, "Prompt", "<a href=\"/ui/prompts/" + Html.esc(Html.url(o.promptName())) + "\">"
          + Html.esc(o.promptName()) + "</a> v" + Html.esc(o.promptVersion()));
    }
    StringBuilder usage = new StringBuilder();
    o.usage().details().forEach((k, v) -> usage.append(usage.isEmpty() ? "" : " · ")
        .append(Html.esc(k)).append(' ').append(v));
    fact(b, "Usage", usage + (o.usage().estimated() ? " (estimated)" : ""));
    StringBuilder cost = new StringBuilder();
    if (o.cost() != null) {
      o.cost().details().forEach((k, v) -> cost.append(cost.isEmpty() ? "" : " · ")
          .append(Html.esc(k)).append(' ').append(Html.usd(v)));
    }
    fact(b, "Cost", o.cost() == null ? "unknown" : cost.toString());
    fact(b, "Start (UTC)", Html.time(o.startTime()));
    b.append("</dl><div class=\"io\"><div><h3>Input</h3>")
        .append(Payloads.render(o.input(), base + "input")).append("</div><div><h3>Output</h3>")
        .append(Payloads.render(o.output(), base + "output")).append("</div></div>");
    if (o.metadata() != null) {
      b.append("<h3>Metadata</h3>").append(Payloads.render(o.metadata(), base + "metadata"));
    }
    return b.append("</div>").toString();
  }

  private static void row(StringBuilder b, String traceId, Observation o, int depth, Instant t0,
      double span, boolean inline) {
    Duration took = o.endTime() == null ? null : Duration.between(o.startTime(), o.endTime());
    double left = Duration.between(t0, o.startTime()).toNanos() / span * 100;
    double width = took == null ? 0.6 : Math.max(0.6, took.toNanos() / span * 100);
    String lazy = inline ? "" : " hx-get=\"/ui/traces/" + Html.esc(Html.url(traceId))
        + "/observations/" + Html.esc(Html.url(o.id())) + "\" hx-trigger=\"toggle once\""
        + " hx-target=\"find .obs-body\"";
    String level = o.level() == Level.ERROR ? " error" : o.level() == Level.WARNING ? " warn" : "";
    b.append("<details class=\"wf-row").append(level).append("\" role=\"treeitem\"")
        .append(" aria-level=\"").append(depth + 1).append('"').append(lazy)
        .append("><summary><span class=\"wf-name\" style=\"padding-left:")
        .append(depth * 16).append("px\">").append(Html.badge(typeClass(o), o.type()))
        .append(' ').append(Html.esc(o.name() == null ? "(unnamed)" : o.name()))
        .append("</span><span class=\"wf-model\">").append(Html.esc(o.model()))
        .append("</span><span class=\"wf-track\"><span class=\"wf-bar\" style=\"left:")
        .append(String.format("%.2f", Math.min(left, 99.4))).append("%;width:")
        .append(String.format("%.2f", Math.min(width, 100 - Math.min(left, 99.4))))
        .append("%\"></span></span><span class=\"num\">").append(Html.millis(took))
        .append("</span><span class=\"num\">").append(tokens(o)).append("</span>")
        .append("<span class=\"num\">").append(cost(o)).append("</span></summary>")
        .append("<div class=\"obs-body\">").append(inline ? detail(traceId, o) : "Loading…")
        .append("</div></details>");
  }

  private static String typeClass(Observation o) {
    return switch (o.type()) {
      case GENERATION, EMBEDDING -> "gen";
      case EVENT -> "event";
      default -> "span";
    };
  }

  private static String tokens(Observation o) {
    long total = o.usage().get("total");
    long sum = total > 0 ? total : o.usage().promptTokens() + o.usage().completionTokens();
    return sum == 0 ? "" : String.valueOf(sum);
  }

  private static String cost(Observation o) {
    if (o.cost() == null) {
      return o.model() == null ? "" : "unknown";
    }
    BigDecimal t = o.cost().total();
    return Html.usd(t);
  }

  private static void fact(StringBuilder b, String term, String html) {
    b.append("<div><dt>").append(term).append("</dt><dd>").append(html).append("</dd></div>");
  }

  private record Row(Observation o, int depth) {}

  private static List<Row> treeOrder(List<Observation> byStart) {
    Set<String> ids = new HashSet<>();
    byStart.forEach(o -> ids.add(o.id()));
    Map<String, List<Observation>> children = new HashMap<>();
    List<Observation> roots = new ArrayList<>();
    for (Observation o : byStart) {
      String p = o.parentObservationId();
      if (p == null || !ids.contains(p) || p.equals(o.id())) {
        roots.add(o);
      } else {
        children.computeIfAbsent(p, k -> new ArrayList<>()).add(o);
      }
    }
    List<Row> out = new ArrayList<>(byStart.size());
    Set<String> seen = new HashSet<>();
    // An explicit stack, so a deep or cyclic parent chain cannot overflow or loop.
    var stack = new ArrayList<Row>();
    for (int i = roots.size() - 1; i >= 0; i--) {
      stack.add(new Row(roots.get(i), 0));
    }
    while (!stack.isEmpty()) {
      Row r = stack.remove(stack.size() - 1);
      if (!seen.add(r.o().id())) {
        continue;
      }
      out.add(r);
      List<Observation> kids = children.getOrDefault(r.o().id(), List.of());
      for (int i = kids.size() - 1; i >= 0; i--) {
        stack.add(new Row(kids.get(i), Math.min(r.depth() + 1, 20)));
      }
    }
    for (Observation o : byStart) {
      if (!seen.contains(o.id())) {
        out.add(new Row(o, 0));
      }
    }
    return out;
  }
}
