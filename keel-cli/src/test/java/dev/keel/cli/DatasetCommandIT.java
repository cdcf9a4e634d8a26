package dev.keel.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keel.eval.EvalItem;
import dev.keel.eval.dataset.DatasetClient;
import dev.keel.eval.dataset.DatasetFiles;
import dev.keel.server.KeelServer;
import dev.keel.server.ServerSettings;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code keel dataset} and {@link DatasetClient} against a real Keel, over HTTP. */
class DatasetCommandIT {

  private static final String KEY = "sk-keel-clitest0123456789abcdefghijklmnopqrstuv";

  @TempDir
  Path tmp;
  private KeelServer keel;
  private final StringWriter err = new StringWriter();

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
  void sync_isIdempotent_andEachChangeIsOneVersion() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("datasets"));
    Files.writeString(dir.resolve("qa.jsonl"), """
        {"input": "Capital of France?", "expected_output": "Paris"}
        {"id": "q2", "input": "Capital of Japan?", "expected_output": "Tokyo"}
        """);
    Files.writeString(dir.resolve("math.csv"), "input,expected_output\n\"1+1, twice\",4\n");

    String first = run("dataset", "sync", dir.toString());
    String again = run("dataset", "sync", dir.toString());
    Files.writeString(dir.resolve("qa.jsonl"), """
        {"id": "q2", "input": "Capital of Japan?", "expected_output": "Tokyo!"}
        {"input": "Capital of Peru?", "expected_output": "Lima"}
        """);
    String changed = run("dataset", "sync", dir.toString());

    assertThat(first).contains("math: version 1 (1 added").contains("qa: version 1 (2 added");
    assertThat(again).contains("math: unchanged at version 1").contains(
        "qa: unchanged at version 1 (2 items)");
    assertThat(changed).contains("qa: version 2 (1 added, 1 updated, 1 removed, 0 unchanged)");
    assertThat(fileHash(again, "qa")).isEqualTo(fileHash(first, "qa"))
        .isNotEqualTo(fileHash(changed, "qa")).hasSize(12);
    DatasetClient client = new DatasetClient(URI.create(url()), KEY);
    assertThat(client.version("qa")).isEqualTo(2);
    assertThat(client.items("qa", 1)).extracting(i -> i.expectedOutput().asText())
        .containsExactly("Paris", "Tokyo");
    assertThat(client.items("qa", null)).extracting(i -> i.expectedOutput().asText())
        .containsExactly("Tokyo!", "Lima");
    assertThat(client.items("math", null).get(0).input().asText()).isEqualTo("1+1, twice");
    // A 404 is its own exception, so that keel eval run can tell "no such dataset" (exit 2).
    assertThatThrownBy(() -> client.items("missing", null))
        .isInstanceOf(dev.keel.eval.dataset.DatasetClient.NotFoundException.class)
        .hasMessage("dataset not found: missing");
    assertThatThrownBy(() -> client.version("missing"))
        .hasMessageContaining("dataset not found: missing");
  }

  @Test
  void import_brokenLine_importsNothingUnlessSkipping() throws Exception {
    Path file = tmp.resolve("broken.jsonl");
    Files.writeString(file, "{\"input\": \"a\"}\n{\"input\": \n{\"input\": \"c\"}\n");

    int code = exit("dataset", "import", file.toString());
    String skipped = run("dataset", "import", file.toString(), "--skip-bad-lines");

    assertThat(code).isEqualTo(1);
    assertThat(err.toString()).contains("line 2: not valid JSON").contains("nothing was");
    assertThat(skipped).contains("broken: version 1 (2 added");
  }

  @Test
  void exportThenImport_roundTrips_andListAndShowPrint() throws Exception {
    Path file = tmp.resolve("src.jsonl");
    Files.writeString(file, """
        {"id": "a", "input": {"q": "x"}, "expected_output": "y", "contexts": ["c1"],\
         "metadata": {"k": 1}}
        """);
    run("dataset", "import", file.toString(), "--dataset", "round");
    Path csv = tmp.resolve("out.csv");

    String exported = run("dataset", "export", "round", csv.toString());
    List<EvalItem> back = DatasetFiles.read(csv);
    String list = run("dataset", "list");
    String show = run("dataset", "show", "round");

    assertThat(exported).contains("wrote 1 items of round");
    assertThat(back).isEqualTo(DatasetFiles.read(file));
    assertThat(list).contains("round").contains("NAME");
    assertThat(show).contains("round  version 1  1 items").contains("{\"q\":\"x\"}  ->  y");
  }

  @Test
  void addFromTrace_unknownTrace_isOneClearLine() {
    int code = exit("dataset", "add-from-trace", "prod", "no-such-trace");

    assertThat(code).isEqualTo(1);
    assertThat(err.toString()).contains("trace not found: no-such-trace");
  }

  private static String fileHash(String output, String dataset) {
    Matcher m = Pattern.compile("(?m)^" + dataset + ": .*file sha256 (\\w+)$").matcher(output);
    assertThat(m.find()).as(output).isTrue();
    return m.group(1);
  }

  private String run(String... args) {
    PrintStream old = System.out;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    try {
      int code = command().execute(withServer(args));
      assertThat(code).as(err.toString()).isZero();
    } finally {
      System.setOut(old);
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  private int exit(String... args) {
    return command().execute(withServer(args));
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

  private CommandLine command() {
    return new CommandLine(new KeelCommand()).setErr(new PrintWriter(err, true))
        .setExecutionExceptionHandler((e, cmd, parsed) -> {
          cmd.getErr().println("keel: " + e.getMessage());
          return 1;
        });
  }
}
