package dev.keel.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code keel cost}: spend reports from a running Keel. */
@Command(name = "cost", mixinStandardHelpOptions = true,
    description = "Spend reports from a running Keel.",
    subcommands = {CostCommand.Report.class})
final class CostCommand implements Runnable {

  @Override
  public void run() {
    new picocli.CommandLine(this).usage(System.out);
  }

  @Command(name = "report", mixinStandardHelpOptions = true,
      description = "Spend grouped by model, key, user, team, prompt version or day, with cache "
          + "and prompt-caching savings and the projected monthly spend; with --routing, what "
          + "cost-aware routes saved against their strong model and at what measured quality.")
  static final class Report implements Runnable {
    private static final String ROW = "%-38s %6s %6s %14s %9s %6s %12s %12s%n";

    @Mixin KeelApiClient api;

    @Option(names = "--from", paramLabel = "WHEN",
        description = "start: an ISO-8601 instant or a UTC date (default: 30 days before --to)")
    String from;
    @Option(names = "--to", paramLabel = "WHEN",
        description = "end, exclusive: an instant or a UTC date (default: now)")
    String to;
    @Option(names = "--by", defaultValue = "model", paramLabel = "DIMENSION",
        description = "model, key, user, team, prompt, day or prompt_day "
            + "(default: ${DEFAULT-VALUE})")
    String by;
    @Option(names = "--routing", description = "report cost-aware routing instead: requests "
        + "per tier and model, cost against always using the strong model, measured quality")
    boolean routing;

    @Override
    public void run() {
      StringBuilder q = new StringBuilder(routing ? "/api/keel/reports/routing?"
          : "/api/keel/reports/cost?groupBy=" + encode(by));
      if (from != null) {
        q.append("&fromTimestamp=").append(encode(instant("--from", from)));
      }
      if (to != null) {
        q.append("&toTimestamp=").append(encode(instant("--to", to)));
      }
      JsonNode r = api.get(q.toString().replace("?&", "?"));
      if (routing) {
        RoutingReport.print(r);
      } else {
        print(r);
      }
    }

    static void print(JsonNode r) {
      System.out.println("spend by " + r.path("groupBy").asText() + " from "
          + r.path("fromTimestamp").asText() + " to " + r.path("toTimestamp").asText());
      System.out.printf(ROW, r.path("groupBy").asText().toUpperCase(), "CALLS", "ERRORS",
          "COST USD", "CACHED IN", "HITS", "CACHE SAVED", "PC SAVED");
      for (JsonNode g : r.path("groups")) {
        row(g.path("group").isNull() ? "(none)" : g.path("group").asText(), g);
      }
      row("total", r.path("totals"));
      JsonNode s = r.path("savings");
      System.out.println("saved: " + Money.usd(s.path("cacheUsd")) + " by the response cache ("
          + s.path("cacheHits").asText() + " hits), " + Money.usd(s.path("promptCachingUsd"))
          + " by provider prompt caching, " + Money.usd(s.path("routingUsd"))
          + " by cost-aware routing");
      System.out.println("projected monthly spend: " + Money.usd(r.path("projectedMonthlyUsd")));
    }

    private static void row(String name, JsonNode g) {
      System.out.printf(ROW, name, g.path("generations").asText(), g.path("errors").asText(),
          Money.usd(g.path("costUsd")),
          Math.round(g.path("cachedInputShare").asDouble() * 100) + "%",
          g.path("cacheHits").asText(), Money.usd(g.path("cacheSavingUsd")),
          Money.usd(g.path("promptCachingSavingUsd")));
    }

    /** An instant as given, or a UTC date meaning its first instant. */
    static String instant(String option, String text) {
      try {
        return Instant.parse(text).toString();
      } catch (DateTimeParseException notInstant) {
        try {
          return LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant().toString();
        } catch (DateTimeParseException e) {
          throw new IllegalArgumentException(option + " must be an ISO-8601 instant such as "
              + "2026-12-01T00:00:00Z or a date such as 2026-12-01: " + text);
        }
      }
    }

    private static String encode(String s) {
      return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
  }
}
