package dev.keel.server.ui;

import dev.keel.store.DailyMetrics;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Chart placeholders: the series travel in escaped data attributes and keel.js draws them with
 * uPlot, so no inline script is needed (the pages' CSP allows none). A table beside each chart
 * keeps the numbers readable without script.
 */
final class Charts {

  private Charts() {}

  /** Unix seconds of each day's start. */
  static List<Long> days(List<DailyMetrics> oldestFirst) {
    return oldestFirst.stream().map(d -> d.date().atStartOfDay().toEpochSecond(ZoneOffset.UTC))
        .toList();
  }

  /**
   * Every day from {@code from} to {@code to}, oldest first, with the store's totals where it
   * has some and zero elsewhere, so a chart's time axis covers the whole range.
   */
  static List<DailyMetrics> everyDay(List<DailyMetrics> stored, Instant from, Instant to) {
    Map<LocalDate, DailyMetrics> byDate = new HashMap<>();
    stored.forEach(d -> byDate.put(d.date(), d));
    List<DailyMetrics> out = new ArrayList<>();
    LocalDate last = LocalDate.ofInstant(to, ZoneOffset.UTC);
    for (LocalDate d = LocalDate.ofInstant(from, ZoneOffset.UTC); !d.isAfter(last);
        d = d.plusDays(1)) {
      out.add(byDate.getOrDefault(d, new DailyMetrics(d, 0, 0, BigDecimal.ZERO, List.of())));
    }
    return out;
  }

  static String line(String title, List<Long> xs, List<Double> ys, String unit) {
    StringBuilder x = new StringBuilder();
    StringBuilder y = new StringBuilder();
    for (int i = 0; i < xs.size(); i++) {
      x.append(i == 0 ? "" : ",").append(xs.get(i));
      y.append(i == 0 ? "" : ",").append(ys.get(i));
    }
    String empty = xs.isEmpty() ? "<p class=\"empty\">No data in this range.</p>" : "";
    return "<figure class=\"chart card\"><figcaption>" + Html.esc(title) + "</figcaption>"
        + empty + "<div class=\"plot\" data-x=\"" + Html.esc(x) + "\" data-y=\"" + Html.esc(y)
        + "\" data-label=\"" + Html.esc(title) + "\" data-unit=\"" + Html.esc(unit)
        + "\"></div></figure>";
  }
}
