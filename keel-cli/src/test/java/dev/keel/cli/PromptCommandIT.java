package dev.keel.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keel.server.KeelServer;
import dev.keel.server.ServerSettings;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code keel prompt} against a real Keel on SQLite, over HTTP as a user would run it. */
class PromptCommandIT {

  private static final String KEY = "sk-keel-clitest0123456789abcdefghijklmnopqrstuv";

  @TempDir
  Path tmp;
  private KeelServer keel;
  private Path prompts;

  @BeforeEach
  void start() throws Exception {
    keel = KeelServer.start(new ServerSettings("127.0.0.1", 0, tmp.resolve("data"), null, null,
        Map.of("KEEL_MASTER_KEY", KEY)));
    prompts = Files.createDirectories(tmp.resolve("prompts"));
    Files.createDirectories(prompts.resolve("support"));
    Files.writeString(prompts.resolve("support/greet.md"), """
        ---
        config:
          model: gpt-4o-mini
          temperature: 0.2
        ---
        Hello {{name}}, how can I help?
        """);
    Files.writeString(prompts.resolve("classify.md"), """
        ---
        type: chat
        messages:
          - role: system
            content: Classify the ticket as bug, billing or other.
          - role: user
            content: "{{ticket}}"
        ---
        """);
  }

  @AfterEach
  void stop() {
    keel.close();
  }

  @Test
  void sync_twice_secondIsANoOp_andAChangedFileMakesOneVersion() throws Exception {
    Result first = run("sync", prompts.toString());
    Result second = run("sync", prompts.toString());
    Files.writeString(prompts.resolve("classify.md"), Files.readString(
        prompts.resolve("classify.md")).replace("bug, billing", "bug, refund, billing"));
    Result third = run("sync", prompts.toString(), "-m", "add refund");

    assertThat(first.code).isZero();
    assertThat(first.out).contains("created    classify v1", "created    support/greet v1",
        "sync: 2 created, 0 updated, 0 unchanged");
    assertThat(second.out).contains("unchanged  classify v1", "unchanged  support/greet v1",
        "sync: 0 created, 0 updated, 2 unchanged");
    assertThat(third.out).contains("updated    classify v2 (was v1)",
        "sync: 0 created, 1 updated, 1 unchanged");
    assertThat(run("list").out).containsPattern("classify +chat +v2 +latest")
        .containsPattern("support/greet +text +v1 +latest");
  }

  @Test
  void syncCheck_exitsOneWhenFilesDiffer_andZeroWhenInSync() throws Exception {
    Result before = run("sync", "--check", prompts.toString());
    run("sync", prompts.toString());
    Result synced = run("sync", "--check", prompts.toString());
    Files.writeString(prompts.resolve("support/greet.md"), "Hi {{name}}\n");
    Result changed = run("sync", "--check", prompts.toString());

    assertThat(before.code).isEqualTo(1);
    assertThat(before.out).contains("differs    classify not in the registry",
        "check: 2 of 2 prompt files differ from the registry");
    assertThat(synced.code).isZero();
    assertThat(synced.out).contains("check: all 2 prompt files match the registry");
    assertThat(changed.code).isEqualTo(1);
    assertThat(changed.out).contains("differs    support/greet file differs from v1");
    assertThat(run("list").out).containsPattern("support/greet +text +v1 ");
  }

  @Test
  void promoteRollbackDiff_andPullWritesFilesThatSyncLeavesAlone() throws Exception {
    run("sync", prompts.toString());
    Files.writeString(prompts.resolve("support/greet.md"), "---\nconfig:\n  model: gpt-4o\n"
        + "---\nHi {{name}}!\n");
    run("sync", prompts.toString());

    Result promote1 = run("promote", "support/greet", "1");
    Result promote2 = run("promote", "support/greet", "2", "--label", "production");
    Result rollback = run("rollback", "support/greet");
    Result diff = run("diff", "support/greet", "1", "2");
    Path pulled = tmp.resolve("pulled");
    Result pull = run("pull", pulled.toString());
    Result resync = run("sync", "--check", pulled.toString());

    assertThat(promote1.out).contains("production -> support/greet v1");
    assertThat(promote2.out).contains("production -> support/greet v2");
    assertThat(rollback.out).contains("production -> support/greet v1 (rolled back)");
    assertThat(diff.out).contains("--- support/greet v1", "+++ support/greet v2",
        "-  \"model\" : \"gpt-4o-mini\",", "+  \"model\" : \"gpt-4o\"",
        "-Hello {{name}}, how can I help?", "+Hi {{name}}!");
    assertThat(pull.out).contains("pull: 2 prompts");
    assertThat(Files.readString(pulled.resolve("support/greet.md"))).isEqualTo("""
        ---
        type: text
        version: 2
        labels:
          latest: 2
          production: 1
        config:
          model: gpt-4o
        ---
        Hi {{name}}!
        """);
    assertThat(resync.code).isZero();
  }

  @Test
  void errors_areClearAndExitNonZero() throws Exception {
    Files.writeString(prompts.resolve("broken.md"), "Hello {{name");

    Result bad = run("sync", prompts.toString());
    Result noKey = run("list", "--key", "");
    Result unknown = run("rollback", "nobody");

    assertThat(bad.code).isEqualTo(1);
    assertThat(bad.err).contains("unclosed '{{' at line 1, column 7 of prompt 'broken'");
    assertThat(run("list").out).doesNotContain("classify");
    assertThat(noKey.code).isEqualTo(1);
    assertThat(noKey.err).contains("no key: set KEEL_MASTER_KEY or pass --key");
    assertThat(unknown.err).contains("Keel answered 404: Prompt not found: 'nobody' with"
        + " label 'production'");
  }

  private Result run(String... args) {
    var all = new ArrayList<>(List.of("prompt", args[0]));
    all.addAll(List.of(args).subList(1, args.length));
    if (!all.contains("--key")) {
      all.addAll(List.of("--key", KEY));
    }
    all.addAll(List.of("--url", "http://127.0.0.1:" + keel.port()));
    var out = new StringWriter();
    var err = new StringWriter();
    int code = new CommandLine(new KeelCommand()).setOut(new PrintWriter(out))
        .setErr(new PrintWriter(err))
        .setExecutionExceptionHandler((e, cmd, parsed) -> {
          cmd.getErr().println("keel: " + e.getMessage());
          return 1;
        })
        .execute(all.toArray(String[]::new));
    return new Result(code, out.toString(), err.toString());
  }

  private record Result(int code, String out, String err) {}
}
