package dev.keel.server.ui;

import dev.keel.server.ui.UiRoutes.NotFound;
import dev.keel.server.ui.UiRoutes.Rendered;
import dev.keel.store.DatasetItemQuery;
import dev.keel.store.DatasetItemRecord;
import dev.keel.store.DatasetRecord;
import dev.keel.store.DatasetRun;
import dev.keel.store.DatasetRunItem;
import dev.keel.store.Page;
import dev.keel.store.Score;
import dev.keel.store.Store;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Datasets and experiments: datasets, a dataset's items and runs, and two runs compared item by
 * item on the numeric scores of their traces, with averages and deltas.
 */
final class DatasetsPage {

  /** Run items compared per run; the store pages at most this many at once. */
  static final int MAX_RUN_ITEMS = 1000;

  private final Store store;

  DatasetsPage(Store store) {
    this.store = store;
  }

  void register(UiRoutes.Router r) {
    r.page("/ui/datasets", (q, s) -> Rendered.html(Layout.page("Datasets", "datasets", s,
        list(q.page()))));
    r.page("/ui/datasets/{name}", (q, s) -> Rendered.html(Layout.page(q.path("name"),
        "datasets", s, dataset(q.path("name"), q.page()))));
    r.page("/ui/datasets/{name}/compare", (q, s) -> Rendered.html(Layout.page("Compare runs",
        "datasets", s, compare(q.path("name"), q.param("a"), q.param("b")))));
  }

  private String list(int pageNo) {
    Page<DatasetRecord> page = store.datasets().list(Pages.PROJECT, pageNo, 50);
    StringBuilder b = new StringBuilder("<h1>Datasets</h1>");
    if (page.items().isEmpty()) {
      return b.append("<p class=\"empty\">No datasets yet.</p>").toString();
    }
    b.append("<table class=\"list\" id=\"datasets\"><thead><tr><th>Name</th><th>Description</th>"
        + "<th class=\"num\">Version</th><th>Updated (UTC)</th></tr></thead><tbody>");
    for (DatasetRecord d : page.items()) {
      b.append("<tr><td><a href=\"/ui/datasets/").append(Html.esc(Html.url(d.name())))
          .append("\">").append(Html.esc(d.name())).append("</a></td><td>")
          .append(Html.esc(d.description())).append("</td><td class=\"num\">")
          .append(d.version()).append("</td><td>").append(Html.time(d.updatedAt()))
          .append("</td></tr>");
    }
    b.append("</tbody></table>");
    return b.append(Html.pager("/ui/datasets", page.page(), page.totalPages(),
        page.totalItems())).toString();
  }

  private String dataset(String name, int pageNo) {
    DatasetRecord d = store.datasets().find(Pages.PROJECT, name)
        .orElseThrow(() -> new NotFound("no dataset named " + name));
    List<DatasetRun> runs = store.datasets().runs(Pages.PROJECT, name, 1, 100).items();
    Page<DatasetItemRecord> items = store.datasets().items(new DatasetItemQuery(Pages.PROJECT,
        name, null, null, null, pageNo, 50));
    StringBuilder b = new StringBuilder("<h1>Dataset ").append(Html.esc(d.name()))
        .append("</h1><p class=\"muted\">").append(Html.esc(d.description()))
        .append(" · version ").append(d.version()).append("</p><h2>Runs</h2>");
    runs(b, d.name(), runs);
    b.append("<h2>Items</h2><table class=\"list\" id=\"items\"><thead><tr><th>Id</th>"
        + "<th>Input</th><th>Expected output</th><th>Status</th></tr></thead><tbody>");
    for (DatasetItemRecord i : items.items()) {
      b.append("<tr><td><code>").append(Html.esc(i.id())).append("</code></td><td>")
          .append(Html.esc(cut(i.input()))).append("</td><td>")
          .append(Html.esc(cut(i.expectedOutput()))).append("</td><td>")
          .append(Html.esc(i.status())).append("</td></tr>");
    }
    b.append("</tbody></table>");
    return b.append(Html.pager("/ui/datasets/" + Html.url(name), items.page(),
        items.totalPages(), items.totalItems())).toString();
  }

  private static void runs(StringBuilder b, String dataset, List<DatasetRun> runs) {
    if (runs.isEmpty()) {
      b.append("<p class=\"empty\">No runs yet.</p>");
      return;
    }
    b.append("<form class=\"filters\" method=\"get\" action=\"/ui/datasets/")
        .append(Html.esc(Html.url(dataset))).append("/compare\"><label>Run A<select name=\"a\">")
        .append(options(runs, Math.min(1, runs.size() - 1)))
        .append("</select></label><label>Run B<select name=\"b\">").append(options(runs, 0))
        .append("</select></label><button type=\"submit\">Compare runs</button></form>")
        .append("<table class=\"list\" id=\"runs\"><thead><tr><th>Run</th><th>Description</th>"
            + "<th>Created (UTC)</th></tr></thead><tbody>");
    for (DatasetRun r : runs) {
      b.append("<tr><td>").append(Html.esc(r.name())).append("</td><td>")
          .append(Html.esc(r.description())).append("</td><td>").append(Html.time(r.createdAt()))
          .append("</td></tr>");
    }
    b.append("</tbody></table>");
  }

  private static String options(List<DatasetRun> runs, int selected) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < runs.size(); i++) {
      b.append("<option value=\"").append(Html.esc(runs.get(i).name())).append('"')
          .append(i == selected ? " selected" : "").append('>')
          .append(Html.esc(runs.get(i).name())).append("</option>");
    }
    return b.toString();
  }

  private String compare(String dataset, String a, String b) {
    if (a == null || b == null) {
      throw new IllegalArgumentException("a and b must name two runs of dataset " + dataset);
    }
    Map<String, Map<String, Double>> sa = scoresByItem(dataset, a);
    Map<String, Map<String, Double>> sb = scoresByItem(dataset, b);
    TreeSet<String> names = new TreeSet<>();
    sa.values().forEach(m -> names.addAll(m.keySet()));
    sb.values().forEach(m -> names.addAll(m.keySet()));
    TreeSet<String> itemIds = new TreeSet<>(sa.keySet());
    itemIds.addAll(sb.keySet());

    StringBuilder out = new StringBuilder("<h1>").append(Html.esc(a)).append(" vs ")
        .append(Html.esc(b)).append("</h1><p><a href=\"/ui/datasets/")
        .append(Html.esc(Html.url(dataset))).append("\">Back to ").append(Html.esc(dataset))
        .append("</a></p><h2>Averages</h2><table class=\"list\" id=\"averages\"><thead><tr>"
            + "<th>Score</th><th class=\"num\">").append(Html.esc(a))
        .append("</th><th class=\"num\">").append(Html.esc(b))
        .append("</th><th class=\"num\">Δ</th></tr></thead><tbody>");
    for (String n : names) {
      row(out, Html.esc(n), mean(sa, n), mean(sb, n));
    }
    out.append("</tbody></table><h2>By item</h2><table class=\"list\" id=\"by-item\"><thead>"
        + "<tr><th>Item</th><th>Score</th><th class=\"num\">").append(Html.esc(a))
        .append("</th><th class=\"num\">").append(Html.esc(b))
        .append("</th><th class=\"num\">Δ</th></tr></thead><tbody>");
    for (String item : itemIds) {
      for (String n : names) {
        row(out, "<code>" + Html.esc(item) + "</code></td><td>" + Html.esc(n),
            sa.getOrDefault(item, Map.of()).get(n), sb.getOrDefault(item, Map.of()).get(n));
      }
    }
    return out.append("</tbody></table>").toString();
  }

  private static void row(StringBuilder b, String firstCellsHtml, Double x, Double y) {
    String delta = x == null || y == null ? "" : String.format("%+.3f", y - x);
    String cls = x == null || y == null || y.equals(x) ? "" : y > x ? "up" : "down";
    b.append("<tr><td>").append(firstCellsHtml).append("</td><td class=\"num\">")
        .append(num(x)).append("</td><td class=\"num\">").append(num(y))
        .append("</td><td class=\"num ").append(cls).append("\">").append(delta)
        .append("</td></tr>");
  }

  private static String num(Double v) {
    return v == null ? "–" : String.format("%.3f", v);
  }

  private static Double mean(Map<String, Map<String, Double>> byItem, String name) {
    double sum = 0;
    int n = 0;
    for (Map<String, Double> m : byItem.values()) {
      Double v = m.get(name);
      if (v != null) {
        sum += v;
        n++;
      }
    }
    return n == 0 ? null : sum / n;
  }

  /** Item id to score name to the mean numeric value of that item's trace in the run. */
  private Map<String, Map<String, Double>> scoresByItem(String dataset, String runName) {
    DatasetRun run = store.datasets().run(Pages.PROJECT, dataset, runName)
        .orElseThrow(() -> new NotFound("no run " + runName + " of dataset " + dataset));
    List<DatasetRunItem> items = store.datasets().runItems(Pages.PROJECT, run.id(), 1,
        MAX_RUN_ITEMS).items();
    List<String> traceIds = new ArrayList<>();
    items.forEach(i -> traceIds.add(i.traceId()));
    Map<String, List<Score>> scores = store.scores().scoresOfTraces(Pages.PROJECT, traceIds);
    Map<String, Map<String, Double>> out = new TreeMap<>();
    for (DatasetRunItem i : items) {
      Map<String, double[]> acc = new HashMap<>();
      for (Score s : scores.getOrDefault(i.traceId(), List.of())) {
        if (s.value() != null) {
          double[] sn = acc.computeIfAbsent(s.name(), k -> new double[2]);
          sn[0] += s.value();
          sn[1]++;
        }
      }
      Map<String, Double> means = new TreeMap<>();
      acc.forEach((k, v) -> means.put(k, v[0] / v[1]));
      out.put(i.datasetItemId(), means);
    }
    return out;
  }

  private static String cut(String s) {
    return s == null ? "" : s.length() > 200 ? s.substring(0, 200) + "…" : s;
  }
}
