package dev.keel.server.ui;

import dev.keel.core.trace.Level;
import dev.keel.core.trace.Observation;
import dev.keel.server.ui.UiRoutes.Rendered;
import dev.keel.store.DailyMetrics;
import dev.keel.store.DailyQuery;
import dev.keel.store.ObservationQuery;
import dev.keel.store.Store;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Overview: daily requests, cost and tokens over a chosen range (from the store's daily
 * rollups), and latency percentiles and error rates by model and by prompt version over the
 * newest {@link #SAMPLE} generations of the range.
 */
final class OverviewPage {

  static final int SAMPLE = 1000;
  private static final int[] RANGES = {1, 7, 30, 90};

  private final Store store;
  private final Clock clock;

  OverviewPage(Store store, Clock clock) {
    this.store = store;
    this.clock = clock;
  }

  void register(UiRoutes.Router r) {
    r.page("/ui", (q, s) -> Rendered.html(Layout.page("Overview", "overview", s, render(q))));
  }

  private String render(UiRequest q) {
    int days = q.intParam("days", 7, 1, 366);
    Instant to = clock.instant();
    Instant from = to.truncatedTo(ChronoUnit.DAYS).minus(Duration.ofDays(days - 1L));
    List<DailyMetrics> daily = new ArrayList<>(store.traces().daily(new DailyQuery(
        Pages.PROJECT, null, null, null, from, null)));
    Collections.reverse(daily);
    daily = Charts.everyDay(daily, from, to);
    List<Observation> gens = store.traces().listObservations(new ObservationQuery(Pages.PROJECT,
        null, null, "GENERATION", null, from, null, 1, SAMPLE)).items();

    StringBuilder b = new StringBuilder("<h1>Overview</h1>");
    ranges(b, days);
    totals(b, daily, gens);
    b.append("<div class=\"charts\">")
        .append(Charts.line("Requests per day", Charts.days(daily),
            daily.stream().map(d -> (double) d.countTraces()).toList(), ""))
        .append(Charts.line("Cost per day (USD)", Charts.days(daily),
            daily.stream().map(d -> d.totalCost().doubleValue()).toList(), "$"))
        .append(Charts.line("Tokens per day", Charts.days(daily),
            daily.stream().map(d -> (double) d.usage().stream()
                .mapToLong(DailyMetrics.ModelUsage::totalUsage).sum()).toList(), ""))
        .append("</div>");
    b.append("<h2>By model</h2><p class=\"muted\">Latency and errors over the newest ")
        .append(gens.size()).append(" generations in the range.</p>")
        .append(groupTable("Model", gens, o -> o.model() == null ? "(none)" : o.model()));
    b.append("<h2>By prompt version</h2>").append(groupTable("Prompt", gens,
        o -> o.promptName() == null ? "(no prompt)" : o.promptName() + " v" + o.promptVersion()));
    return b.toString();
  }

  private static void ranges(StringBuilder b, int days) {
    b.append("<nav class=\"tabs\" aria-label=\"time range\">");
    for (int d : RANGES) {
      b.append("<a href=\"/ui?days=").append(d).append('"')
          .append(d == days ? " aria-current=\"true\"" : "").append(">")
          .append(d == 1 ? "Today" : "Last " + d + " days").append("</a>");
    }
    b.append("</nav>");
  }

  private static void totals(StringBuilder b, List<DailyMetrics> daily, List<Observation> gens) {
    long traces = daily.stream().mapToLong(DailyMetrics::countTraces).sum();
    BigDecimal cost = daily.stream().map(DailyMetrics::totalCost)
        .reduce(BigDecimal.ZERO, BigDecimal::add);
    long tokens = daily.stream().flatMap(d -> d.usage().stream())
        .mapToLong(DailyMetrics.ModelUsage::totalUsage).sum();
    Stats st = Stats.of(gens);
    b.append("<div class=\"stats\">");
    stat(b, "Requests", String.valueOf(traces));
    stat(b, "Cost", Html.usd(cost));
    stat(b, "Tokens", String.valueOf(tokens));
    stat(b, "Latency p50", Html.seconds(st.p50()));
    stat(b, "Latency p95", Html.seconds(st.p95()));
    stat(b, "Error rate", st.errorRate());
    b.append("</div>");
  }

  private static void stat(StringBuilder b, String label, String value) {
    b.append("<div class=\"stat\"><span>").append(label).append("</span><b>")
        .append(Html.esc(value)).append("</b></div>");
  }

  private static String groupTable(String what, List<Observation> gens,
      Function<Observation, String> key) {
    Map<String, List<Observation>> groups = new TreeMap<>();
    gens.forEach(o -> groups.computeIfAbsent(key.apply(o), k -> new ArrayList<>()).add(o));
    if (groups.isEmpty()) {
      return "<p class=\"empty\">No generations in this range.</p>";
    }
    StringBuilder b = new StringBuilder("<table class=\"list\"><thead><tr><th>").append(what)
        .append("</th><th class=\"num\">Calls</th><th class=\"num\">Cost</th>"
            + "<th class=\"num\">p50</th><th class=\"num\">p95</th>"
            + "<th class=\"num\">Errors</th></tr></thead><tbody>");
    groups.forEach((k, list) -> {
      Stats st = Stats.of(list);
      b.append("<tr><td>").append(Html.esc(k)).append("</td><td class=\"num\">")
          .append(list.size()).append("</td><td class=\"num\">").append(Html.usd(st.cost()))
          .append("</td><td class=\"num\">").append(Html.seconds(st.p50()))
          .append("</td><td class=\"num\">").append(Html.seconds(st.p95()))
          .append("</td><td class=\"num\">").append(st.errorRate()).append("</td></tr>");
    });
    return b.append("</tbody></table>").toString();
  }

  /** Latency percentiles (nearest rank), cost and error share of some generations. */
  private record Stats(Double p50, Double p95, BigDecimal cost, long errors, int n) {

    static Stats of(List<Observation> obs) {
      List<Double> lat = new ArrayList<>();
      BigDecimal cost = BigDecimal.ZERO;
      long errors = 0;
      for (Observation o : obs) {
        if (o.endTime() != null) {
          lat.add(Duration.between(o.startTime(), o.endTime()).toNanos() / 1e9);
        }
        if (o.cost() != null) {
          cost = cost.add(o.cost().total());
        }
        errors += o.level() == Level.ERROR ? 1 : 0;
      }
      Collections.sort(lat);
      return new Stats(rank(lat, 0.50), rank(lat, 0.95), cost, errors, obs.size());
    }

    String errorRate() {
      return n == 0 ? "" : String.format("%.1f%%", 100.0 * errors / n);
    }

    private static Double rank(List<Double> sorted, double p) {
      if (sorted.isEmpty()) {
        return null;
      }
      int i = (int) Math.ceil(p * sorted.size()) - 1;
      return sorted.get(Math.max(0, i));
    }
  }
}
