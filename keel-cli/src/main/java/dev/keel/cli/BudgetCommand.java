package dev.keel.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code keel budget}: budgets on a running Keel. */
@Command(name = "budget", mixinStandardHelpOptions = true,
    description = "Set, list and show budgets on a running Keel.",
    subcommands = {BudgetCommand.Set.class, BudgetCommand.ListBudgets.class,
        BudgetCommand.Show.class})
final class BudgetCommand implements Runnable {

  @Override
  public void run() {
    new picocli.CommandLine(this).usage(System.out);
  }

  @Command(name = "set", mixinStandardHelpOptions = true,
      description = "Set the budget of a key, user, team or the project (replacing any).")
  static final class Set implements Runnable {
    @Mixin KeelApiClient api;

    @Option(names = "--key-id", paramLabel = "ID", description = "a key id, or master")
    String keyId;
    @Option(names = "--user") String user;
    @Option(names = "--team") String team;
    @Option(names = "--project", description = "the project id (default)") String project;
    @Option(names = "--model", description = "limit only this model") String model;
    @Option(names = "--limit", required = true, description = "USD per period")
    BigDecimal limit;
    @Option(names = "--period", defaultValue = "monthly",
        description = "daily, weekly, monthly, total or a duration (default monthly)")
    String period;
    @Option(names = "--soft-limits", split = ",",
        description = "fractions that raise an alert, such as 0.5,0.8") List<BigDecimal> soft;

    @Override
    public void run() {
      String[] scope = scope();
      ObjectNode b = KeelApiClient.JSON.createObjectNode().put("scope", scope[0])
          .put("subject", scope[1]).put("model", model).put("limit_usd", limit)
          .put("period", period);
      if (soft != null) {
        soft.forEach(b.putArray("soft_limits")::add);
      }
      print(api.put("/api/keel/budgets", b));
    }

    private String[] scope() {
      int given = (keyId != null ? 1 : 0) + (user != null ? 1 : 0) + (team != null ? 1 : 0)
          + (project != null ? 1 : 0);
      if (given != 1) {
        throw new IllegalArgumentException("name exactly one of --key-id, --user, --team or"
            + " --project");
      }
      return keyId != null ? new String[] {"key", keyId}
          : user != null ? new String[] {"user", user}
          : team != null ? new String[] {"team", team} : new String[] {"project", project};
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true,
      description = "List budgets with their spend this period.")
  static final class ListBudgets implements Runnable {
    @Mixin KeelApiClient api;

    @Override
    public void run() {
      System.out.printf("%-36s  %-30s  %-9s  %14s  %14s  %s%n", "ID", "FOR", "PERIOD", "SPENT",
          "LIMIT", "RESETS AT");
      for (JsonNode b : api.get("/api/keel/budgets").path("data")) {
        System.out.printf("%-36s  %-30s  %-9s  %14s  %14s  %s%n", b.path("id").asText(),
            subject(b), b.path("period").asText(), Money.usd(b.path("spent_usd")),
            Money.usd(b.path("limit_usd")), KeysCommand.text(b, "resets_at"));
      }
    }
  }

  @Command(name = "show", mixinStandardHelpOptions = true, description = "Show one budget.")
  static final class Show implements Runnable {
    @Mixin KeelApiClient api;
    @Parameters(paramLabel = "ID") String id;

    @Override
    public void run() {
      print(api.get("/api/keel/budgets/" + id));
    }
  }

  static void print(JsonNode b) {
    System.out.println("budget " + b.path("id").asText() + ": " + subject(b));
    System.out.println("  limit      " + Money.usd(b.path("limit_usd")) + " "
        + b.path("period").asText());
    System.out.println("  spent      " + Money.usd(b.path("spent_usd")) + " (reserved "
        + Money.usd(b.path("reserved_usd")) + ", remaining " + Money.usd(b.path("remaining_usd"))
        + ")");
    System.out.println("  period     " + b.path("period_start").asText() + " to "
        + KeysCommand.text(b, "resets_at"));
    System.out.println("  soft limits " + b.path("soft_limits"));
  }

  private static String subject(JsonNode b) {
    String model = b.path("model").isNull() ? "" : " / " + b.path("model").asText();
    return b.path("scope").asText() + " " + b.path("subject").asText() + model;
  }
}
