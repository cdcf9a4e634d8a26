package dev.keel.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code keel keys}: virtual keys on a running Keel. */
@Command(name = "keys", mixinStandardHelpOptions = true,
    description = "Create, list, rotate and revoke virtual keys on a running Keel.",
    subcommands = {KeysCommand.Create.class, KeysCommand.ListKeys.class,
        KeysCommand.Rotate.class, KeysCommand.Revoke.class})
final class KeysCommand implements Runnable {

  @Override
  public void run() {
    new picocli.CommandLine(this).usage(System.out);
  }

  @Command(name = "create", mixinStandardHelpOptions = true,
      description = "Create a virtual key; its secret is printed once.")
  static final class Create implements Runnable {
    @Mixin KeelApiClient api;

    @Option(names = "--name", description = "a label") String name;
    @Option(names = "--user", description = "the user it belongs to") String user;
    @Option(names = "--team", description = "the team it belongs to") String team;
    @Option(names = "--models", split = ",", description = "models it may call (default all)")
    List<String> models;
    @Option(names = "--rpm", description = "requests per minute") Long rpm;
    @Option(names = "--tpm", description = "tokens per minute") Long tpm;
    @Option(names = "--expires-in", description = "lifetime, such as 12h or 30d") String expires;
    @Option(names = "--budget", description = "USD limit per --period") BigDecimal budget;
    @Option(names = "--period", defaultValue = "monthly",
        description = "daily, weekly, monthly, total or a duration (default monthly)")
    String period;
    @Option(names = "--soft-limits", split = ",",
        description = "fractions of the budget that raise an alert, such as 0.5,0.8")
    List<BigDecimal> softLimits;

    @Override
    public void run() {
      ObjectNode b = KeelApiClient.JSON.createObjectNode().put("name", name).put("user", user)
          .put("team", team).put("expires_in", expires);
      if (models != null) {
        models.forEach(b.putArray("models")::add);
      }
      if (rpm != null) {
        b.put("rpm", rpm);
      }
      if (tpm != null) {
        b.put("tpm", tpm);
      }
      if (budget != null) {
        ObjectNode bud = b.putObject("budget").put("limit_usd", budget).put("period", period);
        if (softLimits != null) {
          softLimits.forEach(bud.putArray("soft_limits")::add);
        }
      }
      JsonNode k = api.post("/api/keel/keys", b);
      System.out.println("key " + k.path("id").asText() + " created: " + k.path("key").asText());
      System.out.println("store it now: Keel keeps only its hash and cannot show it again");
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true,
      description = "List keys (never their secrets).")
  static final class ListKeys implements Runnable {
    @Mixin KeelApiClient api;

    @Override
    public void run() {
      System.out.printf("%-36s  %-8s  %-28s  %-16s  %-10s  %s%n", "ID", "STATUS", "KEY", "NAME",
          "TEAM", "MODELS");
      for (JsonNode k : api.get("/api/keel/keys").path("data")) {
        System.out.printf("%-36s  %-8s  %-28s  %-16s  %-10s  %s%n", k.path("id").asText(),
            k.path("status").asText(), k.path("key_hint").asText(), text(k, "name"),
            text(k, "team"), k.path("models").isEmpty() ? "all" : k.path("models").toString());
      }
    }
  }

  @Command(name = "rotate", mixinStandardHelpOptions = true,
      description = "Give a key a new secret (printed once); the old one stops working.")
  static final class Rotate implements Runnable {
    @Mixin KeelApiClient api;
    @Parameters(paramLabel = "ID") String id;

    @Override
    public void run() {
      JsonNode k = api.post("/api/keel/keys/" + id + "/rotate", null);
      System.out.println("key " + id + " rotated: " + k.path("key").asText());
      System.out.println("the old secret no longer works; settings, budgets and spend are kept");
    }
  }

  @Command(name = "revoke", mixinStandardHelpOptions = true, description = "Revoke a key.")
  static final class Revoke implements Runnable {
    @Mixin KeelApiClient api;
    @Parameters(paramLabel = "ID") String id;

    @Override
    public void run() {
      api.post("/api/keel/keys/" + id + "/revoke", null);
      System.out.println("key " + id + " revoked");
    }
  }

  static String text(JsonNode n, String field) {
    return n.path(field).isNull() || n.path(field).isMissingNode() ? "-" : n.path(field).asText();
  }
}
