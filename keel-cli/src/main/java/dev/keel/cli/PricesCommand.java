package dev.keel.cli;

import dev.keel.core.cost.PriceTable;
import dev.keel.gateway.Pricing;
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
      description = "Show the price Keel uses for a model.")
  static final class Show implements Runnable {
    @picocli.CommandLine.Parameters(paramLabel = "MODEL") String model;

    @Option(names = "--data", defaultValue = "keel-data", description = "Keel's data folder")
    Path data;

    @Override
    public void run() {
      var pricing = Pricing.from(dev.keel.gateway.config.KeelConfig.EMPTY, data);
      var price = pricing.table().find(model);
      if (price.isEmpty()) {
        System.out.println(model + ": no price known (calls to it are traced without cost)");
        return;
      }
      var r = price.get().rates();
      System.out.println(model + " (" + price.get().provider() + "), USD per 1M tokens:");
      print("input", r.input());
      print("output", r.output());
      print("cache read", r.cacheRead());
      print("cache write", r.cacheWrite());
      print("reasoning", r.reasoning());
    }

    private static void print(String what, java.math.BigDecimal perToken) {
      if (perToken != null) {
        System.out.printf("  %-12s %s%n", what,
            perToken.movePointRight(6).stripTrailingZeros().toPlainString());
      }
    }
  }
}
