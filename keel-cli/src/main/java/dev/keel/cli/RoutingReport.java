package dev.keel.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** Prints {@code GET /api/keel/reports/routing} for {@code keel cost report --routing}. */
final class RoutingReport {

  private static final String ROW = "%-6s %-34s %9s %6s %14s %16s %12s%n";

  private RoutingReport() {}

  static void print(JsonNode r) {
    System.out.println("cost-aware routing from " + r.path("fromTimestamp").asText() + " to "
        + r.path("toTimestamp").asText());
    if (r.path("routes").isEmpty()) {
      System.out.println("no cost_aware routes are configured (routing.routes[].strategy)");
    }
    for (JsonNode route : r.path("routes")) {
      System.out.println();
      route(route);
    }
  }

  private static void route(JsonNode n) {
    System.out.println("route " + n.path("route").asText() + " (strong model "
        + n.path("strongModel").asText() + "): " + n.path("basis").asText());
    System.out.printf(ROW, "TIER", "MODEL", "REQUESTS", "ERRORS", "COST USD", "STRONG COST USD",
        "SAVED");
    for (JsonNode t : n.path("tiers")) {
      row(t.path("tier").asText(), t.path("model").asText(), t);
    }
    JsonNode total = n.path("totals");
    row("total", "", total);
    System.out.println("saved " + Money.usd(total.path("savingUsd")) + " ("
        + (total.path("savingPercent").isNull() ? "n/a" : total.path("savingPercent").asText()
        + "%") + ") against always using " + n.path("strongModel").asText());
    quality(n);
  }

  private static void quality(JsonNode n) {
    JsonNode q = n.path("quality");
    if (q.path("metric").isNull() || q.path("metric").isMissingNode()) {
      System.out.println("quality: " + q.path("note").asText());
      return;
    }
    List<String> models = new ArrayList<>();
    for (JsonNode m : n.path("models")) {
      JsonNode mq = m.path("quality");
      if (mq.isMissingNode()) {
        models.add(m.path("model").asText() + " unmeasured");
        continue;
      }
      List<String> from = new ArrayList<>();
      for (JsonNode s : mq.path("sources")) {
        String kind = s.path("kind").asText();
        from.add(!s.path("run").isNull() ? "run " + s.path("run").asText()
            + (s.path("dataset").isNull() ? "" : " on " + s.path("dataset").asText())
            : kind.equals("online") ? "online evaluation" : kind + " scores");
      }
      models.add(m.path("model").asText() + " " + mq.path("mean").asText() + " ("
          + mq.path("scores").asText() + " scores; " + String.join(", ", from) + ")");
    }
    System.out.println("measured " + q.path("metric").asText() + ": "
        + (models.isEmpty() ? "no routed requests" : String.join("; ", models)));
    System.out.println("expected quality " + text(q.path("expectedQuality")) + " against "
        + text(q.path("strongModelQuality")) + " for always " + n.path("strongModel").asText()
        + " (" + q.path("note").asText() + ")");
  }

  private static void row(String tier, String model, JsonNode t) {
    System.out.printf(ROW, tier, model, t.path("requests").asText(), t.path("errors").asText(),
        Money.usd(t.path("costUsd")), Money.usd(t.path("strongModelCostUsd")),
        Money.usd(t.path("savingUsd")));
  }


  private static String text(JsonNode v) {
    return v.isNull() || v.isMissingNode() ? "n/a" : v.asText();
  }
}
