package dev.keel.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keel.server.KeelServer;
import dev.keel.server.ServerSettings;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code keel cost report} against a real Keel with one priced call through the gateway. */
class CostReportCommandIT {

  private static final String KEY = "sk-keel-clicost0123456789abcdefghijklmnopqrstuv";

  @TempDir
  Path tmp;
  private KeelServer keel;

  @BeforeEach
  void start() throws Exception {
    keel = KeelServer.start(new ServerSettings("127.0.0.1", 0, tmp.resolve("data"), null, null,
        Map.of("KEEL_MASTER_KEY", KEY)));
    HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + keel.port() + "/v1/chat/completions"))
        .header("authorization", "Bearer " + KEY).header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"gpt-4o\",\"messages\":[{\"role\":"
            + "\"user\",\"content\":\"[[sim usage prompt=1000000 completion=0]] hi\"}]}"))
        .build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    keel.flushTraces();
  }

  @AfterEach
  void stop() {
    keel.close();
  }

  @Test
  void report_byModel_printsATableWithTotalsSavingsAndProjection() {
    String out = run("cost", "report", "--by", "model");

    assertThat(out).contains("spend by model from ").contains("MODEL")
        .containsPattern("gpt-4o +1 +0 +\\$2\\.5 ")
        .containsPattern("total +1 +0 +\\$2\\.5 ")
        .contains("saved: $0 by the response cache (0 hits)")
        .contains("projected monthly spend: $2.5\n");
  }

  @Test
  void report_byDayFromADate_namesTheDay() {
    LocalDate today = LocalDate.now(ZoneOffset.UTC);

    String out = run("cost", "report", "--by", "day", "--from", today.toString());

    assertThat(out).contains(today.toString() + " ");
  }

  @Test
  void report_unknownDimension_failsWithKeelsMessage() {
    StringWriter err = new StringWriter();

    int code = command(err).execute("cost", "report", "--by", "colour", "--url", url(),
        "--key", KEY);

    assertThat(code).isEqualTo(1);
    assertThat(err.toString()).contains("groupBy must be one of model, key, user, team, prompt,"
        + " day, prompt_day: colour");
  }

  private String run(String... args) {
    PrintStream old = System.out;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    StringWriter err = new StringWriter();
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    try {
      String[] all = new String[args.length + 4];
      System.arraycopy(args, 0, all, 0, args.length);
      System.arraycopy(new String[] {"--url", url(), "--key", KEY}, 0, all, args.length, 4);
      int code = command(err).execute(all);
      assertThat(code).as(err.toString()).isZero();
    } finally {
      System.setOut(old);
    }
    return out.toString(StandardCharsets.UTF_8);
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
