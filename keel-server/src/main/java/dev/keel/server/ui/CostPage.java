package dev.keel.server.ui;

import dev.keel.gateway.limits.Period;
import dev.keel.server.ui.UiRoutes.Rendered;
import dev.keel.store.BudgetRecord;
import dev.keel.store.CostGroupBy;
import dev.keel.store.CostRow;
import dev.keel.store.DailyMetrics;
import dev.keel.store.DailyQuery;
import dev.keel.store.Store;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Cost: spend per day, model, key and user over a range, savings from the response cache and
 * cost-aware routing, and every budget with its current use.
 */
final class CostPage {

  private static final BigDecimal PICO = new BigDecimal("1e12");

  private final Store store;
  private final Clock clock;

  CostPage(Store store, Clock clock) {
    this.store = store;
    this.clock = clock;
  }

  void register(UiRoutes.Router r) {
    r.page("/ui/cost", (q, s) -> Rendered.html(Layout.page("Cost", "cost", s, render(q))));
    r.page("/ui/cost/report", (q, s) -> Rendered.html(report(q)));
  }

  private String render(UiRequest q) {
    int days = q.intParam("days", 30, 1, 366);
    Instant from = clock.instant().truncatedTo(ChronoUnit.DAYS)
        .minus(Duration.ofDays(days - 1L));
    List<DailyMetrics> daily = new ArrayList<>(store.reports().daily(new DailyQuery(
        Pages.PROJECT, null, null, null, from, null)));
    Collections.reverse(daily);
    daily = Charts.everyDay(daily, from, clock.instant());
    StringBuilder b = new StringBuilder("<h1>Cost</h1><nav class=\"tabs\">");
    for (int d : new int[] {7, 30, 90}) {
      b.append("<a href=\"/ui/cost?days=").append(d).append('"')
          .append(d == days ? " aria-current=\"true\"" : "").append(">Last ").append(d)
          .append(" days</a>");
    }
    b.append("</nav><div class=\"charts\">").append(Charts.line("Spend per day (USD)",
        Charts.days(daily), daily.stream().map(d -> d.totalCost().doubleValue()).toList(), "$"))
        .append("</div>");
    // The report runs three cost reports over the range (by model, key and user); it loads
    // after the page so the rest shows at once.
    b.append("<div hx-get=\"/ui/cost/report?days=").append(days)
        .append("\" hx-trigger=\"load\" hx-swap=\"outerHTML\"><p class=\"muted\">Loading"
            + " savings and spend by key and user…</p></div>");
    byModel(b, daily);
    byDay(b, daily);
    budgets(b);
    return b.toString();
  }

  private static void byModel(StringBuilder b, List<DailyMetrics> daily) {
    Map<String, BigDecimal> cost = new TreeMap<>();
    Map<String, Long> tokens = new TreeMap<>();
    for (DailyMetrics d : daily) {
      for (var u : d.usage()) {
        cost.merge(u.model(), u.totalCost(), BigDecimal::add);
        tokens.merge(u.model(), u.totalUsage(), Long::sum);
      }
    }
    b.append("<h2>By model</h2>");
    if (cost.isEmpty()) {
      b.append("<p class=\"empty\">No spend in this range.</p>");
      return;
    }
    b.append("<table class=\"list\" id=\"by-model\"><thead><tr><th>Model</th>"
        + "<th class=\"num\">Tokens</th><th class=\"num\">Spend</th></tr></thead><tbody>");
    cost.forEach((m, c) -> b.append("<tr><td>").append(Html.esc(m)).append("</td>")
        .append("<td class=\"num\">").append(tokens.get(m)).append("</td><td class=\"num\">")
        .append(Html.usd(c)).append("</td></tr>"));
    b.append("</tbody></table>");
  }

  /** Savings, spend by key and by user: the fragment the cost page loads after itself. */
  private String report(UiRequest q) {
    int days = q.intParam("days", 30, 1, 366);
    Instant to = clock.instant();
    Instant from = to.truncatedTo(ChronoUnit.DAYS).minus(Duration.ofDays(days - 1L));
    StringBuilder b = new StringBuilder("<div id=\"cost-report\">");
    savings(b, store.reports().costs(Pages.PROJECT, CostGroupBy.MODEL, from, to));
    grouped(b, "By key", "by-key", store.reports().costs(Pages.PROJECT, CostGroupBy.KEY, from,
        to));
    grouped(b, "By user", "by-user", store.reports().costs(Pages.PROJECT, CostGroupBy.USER,
        from, to));
    return b.append("</div>").toString();
  }

  private static void savings(StringBuilder b, List<CostRow> rows) {
    BigDecimal cost = BigDecimal.ZERO;
    BigDecimal cache = BigDecimal.ZERO;
    BigDecimal routing = BigDecimal.ZERO;
    long hits = 0;
    for (CostRow r : rows) {
      cost = cost.add(r.costUsd());
      cache = cache.add(r.cacheSavingUsd());
      routing = routing.add(r.routingSavingUsd());
      hits += r.cacheHits();
    }
    b.append("<div class=\"stats\" id=\"savings\">");
    stat(b, "Gateway spend", Html.usd(cost));
    stat(b, "Saved by cache (" + hits + " hits)", Html.usd(cache));
    stat(b, "Saved by routing", Html.usd(routing));
    b.append("</div>");
  }

  private static void stat(StringBuilder b, String label, String value) {
    b.append("<div class=\"stat\"><span>").append(Html.esc(label)).append("</span><b>")
        .append(Html.esc(value)).append("</b></div>");
  }

  /** Rows per (group, model) summed per group, highest spend first, at most 50. */
  private static void grouped(StringBuilder b, String title, String id, List<CostRow> rows) {
    Map<String, BigDecimal> cost = new HashMap<>();
    Map<String, long[]> counts = new HashMap<>();
    for (CostRow r : rows) {
      String g = r.group() == null ? "(none)" : r.group();
      cost.merge(g, r.costUsd(), BigDecimal::add);
      long[] c = counts.computeIfAbsent(g, k -> new long[2]);
      c[0] += r.generations();
      c[1] += r.inputTokens() + r.outputTokens();
    }
    b.append("<h2>").append(title).append("</h2>");
    if (cost.isEmpty()) {
      b.append("<p class=\"empty\">No gateway calls in this range.</p>");
      return;
    }
    b.append("<table class=\"list\" id=\"").append(id).append("\"><thead><tr><th>")
        .append(Character.toUpperCase(title.charAt(3))).append(title.substring(4))
        .append("</th><th class=\"num\">Calls</th><th class=\"num\">Tokens</th>"
            + "<th class=\"num\">Spend</th></tr></thead><tbody>");
    cost.entrySet().stream().sorted(Map.Entry.<String, BigDecimal>comparingByValue().reversed())
        .limit(50).forEach(e -> b.append("<tr><td>").append(Html.esc(e.getKey()))
            .append("</td><td class=\"num\">").append(counts.get(e.getKey())[0])
            .append("</td><td class=\"num\">").append(counts.get(e.getKey())[1])
            .append("</td><td class=\"num\">").append(Html.usd(e.getValue()))
            .append("</td></tr>"));
    b.append("</tbody></table>");
  }

  private static void byDay(StringBuilder b, List<DailyMetrics> oldestFirst) {
    b.append("<h2>By day</h2><table class=\"list\"><thead><tr><th>Day (UTC)</th>"
        + "<th class=\"num\">Requests</th><th class=\"num\">Spend</th></tr></thead><tbody>");
    for (int i = oldestFirst.size() - 1; i >= 0; i--) {
      DailyMetrics d = oldestFirst.get(i);
      if (d.countTraces() == 0 && d.totalCost().signum() == 0) {
        continue;
      }
      b.append("<tr><td>").append(d.date()).append("</td><td class=\"num\">")
          .append(d.countTraces()).append("</td><td class=\"num\">")
          .append(Html.usd(d.totalCost())).append("</td></tr>");
    }
    b.append("</tbody></table>");
  }

  private void budgets(StringBuilder b) {
    List<BudgetRecord> budgets = store.budgets().list(Pages.PROJECT);
    b.append("<h2>Budgets</h2>");
    if (budgets.isEmpty()) {
      b.append("<p class=\"empty\">No budgets. Set them with <code>keel budget</code>.</p>");
      return;
    }
    b.append("<table class=\"list\" id=\"budgets\"><thead><tr><th>Scope</th><th>Subject</th>"
        + "<th>Model</th><th>Period</th><th class=\"num\">Spent</th><th class=\"num\">Limit</th>"
        + "<th>Use</th></tr></thead><tbody>");
    Instant now = clock.instant();
    for (BudgetRecord r : budgets) {
      Instant start = Period.parse(r.period()).start(now, ZoneOffset.UTC, r.anchor());
      long spent = store.budgets().spent(r.id(), start);
      int pct = r.limitPico() == 0 ? 100
          : (int) Math.min(100, Math.round(100.0 * spent / r.limitPico()));
      b.append("<tr><td>").append(Html.esc(r.scope())).append("</td><td>")
          .append(Html.esc(r.subject())).append("</td><td>")
          .append(Html.esc(r.model().isEmpty() ? "every model" : r.model())).append("</td><td>")
          .append(Html.esc(r.period())).append("</td><td class=\"num\">")
          .append(Html.usd(dollars(spent))).append("</td><td class=\"num\">")
          .append(Html.usd(dollars(r.limitPico()))).append("</td><td><meter min=\"0\" max=\"100\""
              + " low=\"70\" high=\"90\" optimum=\"0\" value=\"").append(pct).append("\">")
          .append(pct).append("%</meter> ").append(pct).append("%</td></tr>");
    }
    b.append("</tbody></table>");
  }

  private static BigDecimal dollars(long pico) {
    return BigDecimal.valueOf(pico).divide(PICO);
  }
}
