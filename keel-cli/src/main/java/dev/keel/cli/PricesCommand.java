package dev.keel.cli;

import dev.keel.core.cost.PriceTable;
import dev.keel.gateway.Pricing;
import dev.keel.gateway.config.KeelConfig;
import dev.keel.store.Store;
import dev.keel.store.StoreConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code keel prices}: look up and update the model price table. */
@Command(name = "prices", mixinStandardHelpOptions = true,
    description = "Show or update model prices.",
    subcommands = {PricesCommand.Update.class, PricesCommand.Show.class})
final class PricesCommand implements Runnable {

  @Override
  public void run() {
    new picocli.CommandLine(this).usage(System.out);
  }

  @Command(name = "update", mixinStandardHelpOptions = true,
      description = "Install a newer price table (LiteLLM's model_prices_and_context_window.json "
          + "format); Keel uses it from its next start.")
  static final class Update implements Runnable {
    @Option(names = "--file", required = true, description = "the new price table (JSON)")
    Path file;

    @Option(names = "--data", defaultValue = "keel-data", description = "Keel's data folder")
    Path data;

    @Override
    public void run() {
      PriceTable table = PriceTable.load(file);
      try {
        Files.createDirectories(data);
        Path tmp = data.resolve(Pricing.TABLE_FILE + ".tmp");
        Files.copy(file, tmp, StandardCopyOption.REPLACE_EXISTING);
        Files.move(tmp, data.resolve(Pricing.TABLE_FILE), StandardCopyOption.REPLACE_EXISTING,
            StandardCopyOption.ATOMIC_MOVE);
      } catch (IOException e) {
        throw new IllegalStateException("could not install the price table: " + e.getMessage(),
            e);
      }
      System.out.println("installed " + table.size() + " model prices into "
          + data.resolve(Pricing.TABLE_FILE) + "; restart keel serve to use them");
    }
  }

  @Command(name = "show", mixinStandardHelpOptions = true,
      description = "Show the price Keel uses for a model: the table's, keel.yaml's, or one an "
          + "admin set in Settings (read from the store when it exists).")
  static final class Show implements Runnable {
    @picocli.CommandLine.Parameters(paramLabel = "MODEL") String model;

    @Option(names = "--data", defaultValue = "keel-data", description = "Keel's data folder")
    Path data;

    @Option(names = "--config", description = "keel.yaml (default: ./keel.yaml when present)")
    Path config;

    @Option(names = "--database-url", description = "PostgreSQL URL, as given to keel serve")
    String databaseUrl;

    @Override
    public void run() {
      Path cfg = config;
      if (cfg == null && Files.isRegularFile(Path.of("keel.yaml"))) {
        cfg = Path.of("keel.yaml");
      }
      var pricing = Pricing.from(cfg == null ? KeelConfig.EMPTY : KeelConfig.load(cfg), data);
      // Prices set at run time live in the store; a data folder without one has none.
      if (databaseUrl != null || Files.isRegularFile(data.resolve("keel.db"))) {
        try (Store store = Store.open(databaseUrl == null ? StoreConfig.sqlite(data)
            : StoreConfig.postgres(databaseUrl))) {
          pricing.useRuntimePrices(store.settings().prices());
        }
      }
      String key = priceKey(cfg == null ? KeelConfig.EMPTY : KeelConfig.load(cfg), model);
      var price = pricing.table().find(key);
      if (price.isEmpty()) {
        System.out.println(model + ": no price known (calls to it are traced without cost)");
        return;
      }
      var r = price.get().rates();
      System.out.println(model + (key.equals(model) ? "" : " (priced as " + key + ")") + " ("
          + price.get().provider() + "; from " + pricing.source(key) + "), USD per 1M tokens:");
      print("input", r.input());
      print("output", r.output());
      print("cache read", r.cacheRead());
      print("cache write", r.cacheWrite());
      print("reasoning", r.reasoning());
    }

    /**
     * The name the gateway prices calls to {@code model} by: a keel.yaml entry with a price of
     * its own by its name, one without by its upstream model; "provider/model" by the model
     * when "provider" is one the gateway routes to.
     */
    static String priceKey(KeelConfig config, String model) {
      for (KeelConfig.ModelSpec m : config.models()) {
        if (m.name().equals(model)) {
          return m.priceName();
        }
      }
      // "openai/gpt-4o-mini" through the gateway is gpt-4o-mini at the openai provider; a name
      // like "acme/tiny" that names no provider is a model of its own (ingestion prices it so).
      int slash = model.indexOf('/');
      if (slash > 0 && slash < model.length() - 1) {
        String provider = model.substring(0, slash);
        boolean routed = provider.equals("openai") || provider.equals("anthropic")
            || config.providers().stream().anyMatch(p -> p.name().equals(provider));
        if (routed) {
          return model.substring(slash + 1);
        }
      }
      return model;
    }

    private static void print(String what, java.math.BigDecimal perToken) {
      if (perToken != null) {
        System.out.printf("  %-12s %s%n", what,
            perToken.movePointRight(6).stripTrailingZeros().toPlainString());
      }
    }
  }
}
