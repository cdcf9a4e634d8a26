package dev.keel.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keel.server.KeelServer;
import dev.keel.server.ServerSettings;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code keel keys} and {@code keel budget} against a real Keel, over HTTP. */
class CostCommandsIT {

  private static final String KEY = "sk-keel-clitest0123456789abcdefghijklmnopqrstuv";
  private static final Pattern CREATED = Pattern.compile(
      "key ([0-9a-f-]{36}) (?:created|rotated): (sk-keel-\\w{40})");

  @TempDir
  Path tmp;
  private KeelServer keel;

  @BeforeEach
  void start() {
    keel = KeelServer.start(new ServerSettings("127.0.0.1", 0, tmp.resolve("data"), null, null,
        Map.of("KEEL_MASTER_KEY", KEY)));
  }

  @AfterEach
  void stop() {
    keel.close();
  }

  @Test
  void keys_createListRotateRevoke_secretPrintedOnlyWhenMade() {
    String made = run("keys", "create", "--name", "ci-bot", "--team", "ml", "--models",
        "gpt-4o-mini,gpt-4o", "--rpm", "60", "--budget", "5", "--period", "daily",
        "--soft-limits", "0.5,0.8");
    Matcher m = CREATED.matcher(made);
    assertThat(m.find()).as(made).isTrue();
    String id = m.group(1);
    String secret = m.group(2);

    String list = run("keys", "list");
    String budgets = run("budget", "list");
    String rotated = run("keys", "rotate", id);
    String revoked = run("keys", "revoke", id);
    String after = run("keys", "list");

    assertThat(list).contains(id).contains("active").contains("ci-bot").doesNotContain(secret)
        .contains("sk-keel-..." + secret.substring(44)).doesNotContain(secret.substring(8, 16));
    assertThat(budgets).contains("key " + id).contains("daily").contains("$5");
    assertThat(rotated).contains("key " + id + " rotated: sk-keel-").doesNotContain(secret);
    assertThat(revoked).isEqualTo("key " + id + " revoked\n");
    assertThat(after).contains("revoked");
  }

  @Test
  void budget_setAndShow_printsLimitSpendAndPeriod() {
    String set = run("budget", "set", "--team", "ml", "--limit", "12.5", "--period", "weekly");
    String id = set.substring("budget ".length(), set.indexOf(':'));

    String shown = run("budget", "show", id);

    assertThat(shown).contains("team ml").contains("limit      $12.5 weekly")
        .contains("spent      $0");
  }

  @Test
  void budget_setWithTwoSubjects_failsNamingTheOptions() {
    int code = exit("budget", "set", "--team", "ml", "--user", "ann", "--limit", "1");

    assertThat(code).isEqualTo(1);
  }

  @Test
  void keys_createWithASoftLimitAboveOne_failsAndCreatesNoKey() {
    StringWriter err = new StringWriter();

    int code = command(err).execute(withServer("keys", "create", "--name", "x", "--budget", "1",
        "--soft-limits", "2"));

    assertThat(code).isEqualTo(1);
    assertThat(err.toString()).contains("soft_limits must be numbers above 0 and below 1");
    assertThat(run("keys", "list").lines()).singleElement().asString().startsWith("ID ");
  }

  @Test
  void keys_wrongMasterKey_failsWithKeelsMessage() {
    StringWriter err = new StringWriter();
    int code = command(err).execute("keys", "list", "--url", url(), "--key", "sk-keel-wrong");

    assertThat(code).isEqualTo(1);
    assertThat(err.toString()).contains("invalid API key (HTTP 401)");
  }

  private String run(String... args) {
    PrintStream old = System.out;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    StringWriter err = new StringWriter();
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    try {
      int code = command(err).execute(withServer(args));
      assertThat(code).as(err.toString()).isZero();
    } finally {
      System.setOut(old);
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  private int exit(String... args) {
    return command(new StringWriter()).execute(withServer(args));
  }

  private String[] withServer(String... args) {
    String[] all = new String[args.length + 4];
    System.arraycopy(args, 0, all, 0, args.length);
    all[args.length] = "--url";
    all[args.length + 1] = url();
    all[args.length + 2] = "--key";
    all[args.length + 3] = KEY;
    return all;
  }

  private String url() {
    return "http://127.0.0.1:" + keel.port();
  }

  private static CommandLine command(StringWriter err) {
    return new CommandLine(new KeelCommand()).setErr(new PrintWriter(err, true))
        .setExecutionExceptionHandler((e, cmd, parsed) -> {
          cmd.getErr().println("keel: " + e.getMessage());
          return 1;
        });
  }
}
