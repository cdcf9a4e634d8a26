package dev.keel.server.ui;

import dev.keel.store.DailyMetrics;
import java.time.ZoneOffset;
import java.util.List;

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
