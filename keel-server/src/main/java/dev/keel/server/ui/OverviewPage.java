package dev.keel.server.ui;

import dev.keel.server.ui.UiRoutes.Rendered;
import dev.keel.store.CallStats;
import dev.keel.store.DailyMetrics;
import dev.keel.store.DailyQuery;
import dev.keel.store.LatencyHistogram;
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
 * Overview: daily requests, cost and tokens over a chosen range, and latency percentiles and
 * error rates by model and by prompt version over every generation of the range, all from the
 * store's hourly rollups (latency percentiles within about 5%, see LatencyHistogram).
 */
final class OverviewPage {

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
    Instant now = clock.instant();
    Instant from = now.truncatedTo(ChronoUnit.DAYS).minus(Duration.ofDays(days - 1L));
    // To the end of today: whole hours, which the rollups answer without a raw scan.
    Instant to = now.truncatedTo(ChronoUnit.DAYS).plus(Duration.ofDays(1));
    List<DailyMetrics> daily = new ArrayList<>(store.reports().daily(new DailyQuery(
        Pages.PROJECT, null, null, null, from, null)));
    Collections.reverse(daily);
    daily = Charts.everyDay(daily, from, now);
    List<CallStats> calls = store.reports().calls(Pages.PROJECT, from, to);

    StringBuilder b = new StringBuilder("<h1>Overview</h1>");
    ranges(b, days);
    totals(b, daily, Stats.of(calls));
    b.append("<div class=\"charts\">")
        .append(Charts.line("Requests per day", Charts.days(daily),
            daily.stream().map(d -> (double) d.countTraces()).toList(), ""))
        .append(Charts.line("Cost per day (USD)", Charts.days(daily),
            daily.stream().map(d -> d.totalCost().doubleValue()).toList(), "$"))
        .append(Charts.line("Tokens per day", Charts.days(daily),
            daily.stream().map(d -> (double) d.usage().stream()
                .mapToLong(DailyMetrics.ModelUsage::totalUsage).sum()).toList(), ""))
        .append("</div>");
    b.append("<h2>By model</h2>")
        .append(groupTable("Model", calls, c -> c.model() == null ? "(none)" : c.model()));
    b.append("<h2>By prompt version</h2>").append(groupTable("Prompt", calls,
        c -> c.promptName() == null ? "(no prompt)" : c.promptName() + " v"
            + (c.promptVersion() == null ? "?" : c.promptVersion())));
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

  private static void totals(StringBuilder b, List<DailyMetrics> daily, Stats st) {
    long traces = daily.stream().mapToLong(DailyMetrics::countTraces).sum();
    BigDecimal cost = daily.stream().map(DailyMetrics::totalCost)
        .reduce(BigDecimal.ZERO, BigDecimal::add);
    long tokens = daily.stream().flatMap(d -> d.usage().stream())
        .mapToLong(DailyMetrics.ModelUsage::totalUsage).sum();
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

  private static String groupTable(String what, List<CallStats> calls,
      Function<CallStats, String> key) {
    Map<String, List<CallStats>> groups = new TreeMap<>();
    calls.forEach(c -> groups.computeIfAbsent(key.apply(c), k -> new ArrayList<>()).add(c));
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
          .append(st.n()).append("</td><td class=\"num\">").append(Html.usd(st.cost()))
          .append("</td><td class=\"num\">").append(Html.seconds(st.p50()))
          .append("</td><td class=\"num\">").append(Html.seconds(st.p95()))
          .append("</td><td class=\"num\">").append(st.errorRate()).append("</td></tr>");
    });
    return b.append("</tbody></table>").toString();
  }

  /** Latency percentiles (nearest rank, by bucket), cost and error share of some calls. */
  private record Stats(Double p50, Double p95, BigDecimal cost, long errors, long n) {

    static Stats of(List<CallStats> calls) {
      LatencyHistogram latency = new LatencyHistogram();
      BigDecimal cost = BigDecimal.ZERO;
      long errors = 0;
      long n = 0;
      for (CallStats c : calls) {
        latency.addAll(c.latency());
        cost = cost.add(c.costUsd());
        errors += c.errors();
        n += c.generations();
      }
      return new Stats(latency.percentileSeconds(0.50), latency.percentileSeconds(0.95), cost,
          errors, n);
    }

    String errorRate() {
      return n == 0 ? "" : String.format("%.1f%%", 100.0 * errors / n);
    }
  }
}
