package dev.keel.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keel.gateway.Pricing;
import dev.keel.gateway.config.KeelConfig;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class PricesCommandTest {

  @TempDir
  Path dir;

  @Test
  void update_validTable_isInstalledAndUsedByPricing() throws IOException {
    Path table = dir.resolve("new.json");
    Files.writeString(table, "{\"my-model\": {\"litellm_provider\": \"openai\", \"mode\": "
        + "\"chat\", \"input_cost_per_token\": 1e-06, \"output_cost_per_token\": 2e-06}}");
    Path data = dir.resolve("data");

    int code = run("prices", "update", "--file", table.toString(), "--data", data.toString());

    assertThat(code).isZero();
    assertThat(data.resolve(Pricing.TABLE_FILE)).exists();
    var pricing = Pricing.from(KeelConfig.EMPTY, data);
    assertThat(pricing.table().size()).isEqualTo(1);
    assertThat(pricing.table().find("my-model")).isPresent();
  }

  @Test
  void update_brokenTable_failsAndInstallsNothing() throws IOException {
    Path table = dir.resolve("bad.json");
    Files.writeString(table, "{\"m\": {\"litellm_provider\": \"openai\", "
        + "\"input_cost_per_token\": \"cheap\"}}");
    Path data = dir.resolve("data");
    var err = new StringWriter();

    int code = new CommandLine(new KeelCommand()).setErr(new PrintWriter(err))
        .setExecutionExceptionHandler((e, cmd, parsed) -> {
          cmd.getErr().println(e.getMessage());
          return 1;
        })
        .execute("prices", "update", "--file", table.toString(), "--data", data.toString());

    assertThat(code).isEqualTo(1);
    assertThat(err.toString()).contains("input_cost_per_token");
    assertThat(data.resolve(Pricing.TABLE_FILE)).doesNotExist();
  }

  @Test
  void update_tableWithNoModels_refusedAndInstallsNothing() throws IOException {
    Path table = dir.resolve("empty.json");
    Files.writeString(table, "{\"sample_spec\": {\"litellm_provider\": \"openai\"}}");
    Path data = dir.resolve("data");
    var err = new StringWriter();

    int code = new CommandLine(new KeelCommand()).setErr(new PrintWriter(err))
        .setExecutionExceptionHandler((e, cmd, parsed) -> {
          cmd.getErr().println(e.getMessage());
          return 1;
        })
        .execute("prices", "update", "--file", table.toString(), "--data", data.toString());

    assertThat(code).isEqualTo(1);
    assertThat(err.toString()).contains("price table " + table + " has no model entries");
    assertThat(data.resolve(Pricing.TABLE_FILE)).doesNotExist();
  }

  @Test
  void show_knownAndUnknownModel() {
    String known = capture("prices", "show", "gpt-4o-mini", "--data", dir.toString());
    String unknown = capture("prices", "show", "no-such-model", "--data", dir.toString());

    assertThat(known).contains("gpt-4o-mini").contains("input").contains("0.15")
        .contains("0.6");
    assertThat(unknown).contains("no price known");
  }

  @Test
  void show_pricesFromKeelYamlAndSettings_winOverTheTableAndSayWhereTheyCameFrom()
      throws IOException {
    Path yaml = dir.resolve("keel.yaml");
    Files.writeString(yaml, """
        models:
          - name: cheap-mini
            provider: openai
            model: gpt-4o-mini
            price: {input_per_million: 0, output_per_million: 0}
        """);
    Path data = dir.resolve("data");
    try (var store = dev.keel.store.Store.open(dev.keel.store.StoreConfig.sqlite(data))) {
      store.settings().putPrice(new dev.keel.store.PriceOverride("gpt-4o", "openai",
          new java.math.BigDecimal("7"), new java.math.BigDecimal("9"), null, null,
          java.time.Instant.parse("2026-12-01T00:00:00Z"), "admin"));
    }

    String alias = capture("prices", "show", "cheap-mini", "--data", data.toString(),
        "--config", yaml.toString());
    String upstream = capture("prices", "show", "gpt-4o-mini", "--data", data.toString(),
        "--config", yaml.toString());
    String set = capture("prices", "show", "gpt-4o", "--data", data.toString(),
        "--config", yaml.toString());

    assertThat(alias).contains("from keel.yaml").containsPattern("input +0\\n");
    assertThat(upstream).doesNotContain("keel.yaml").contains("0.15");
    assertThat(set).contains("from set in Settings by admin").containsPattern("input +7\\n")
        .containsPattern("output +9\\n");
  }

  @Test
  void show_aliasWithoutItsOwnPriceAndProviderPrefix_arePricedAsTheGatewayPricesThem()
      throws IOException {
    Path yaml = dir.resolve("keel.yaml");
    Files.writeString(yaml, """
        providers:
          - name: slow
            format: openai
            base_url: http://127.0.0.1:9/v1
        models:
          - name: slowmini
            provider: slow
            model: gpt-4o-mini
        """);
    Path data = dir.resolve("data2");
    try (var store = dev.keel.store.Store.open(dev.keel.store.StoreConfig.sqlite(data))) {
      store.settings().putPrice(new dev.keel.store.PriceOverride("gpt-4o-mini", "openai",
          new java.math.BigDecimal("1"), new java.math.BigDecimal("2"), null, null,
          java.time.Instant.parse("2026-12-01T00:00:00Z"), "admin"));
    }

    String alias = capture("prices", "show", "slowmini", "--data", data.toString(),
        "--config", yaml.toString());
    String prefixed = capture("prices", "show", "openai/gpt-4o-mini", "--data",
        data.toString(), "--config", yaml.toString());

    assertThat(alias).contains("slowmini (priced as gpt-4o-mini)")
        .contains("from set in Settings by admin").containsPattern("input +1\\n");
    assertThat(prefixed).contains("(priced as gpt-4o-mini)")
        .contains("from set in Settings by admin").containsPattern("output +2\\n");
  }

  private static int run(String... args) {
    return new CommandLine(new KeelCommand()).execute(args);
  }

  private static String capture(String... args) {
    PrintStream old = System.out;
    var out = new ByteArrayOutputStream();
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    try {
      run(args);
    } finally {
      System.setOut(old);
    }
    return out.toString(StandardCharsets.UTF_8);
  }
}
