package dev.keel.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code keel eval calibrate --offline} on the shared RAGChecker labels, and bad input. */
class EvalCalibrateCommandIT {

  private static final Path LABELS =
      Path.of("../../shared/data/eval/ragchecker_human_labeled_data.json");

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    return new CommandLine(new KeelCommand()).setOut(new PrintWriter(out, true))
        .setErr(new PrintWriter(err, true)).execute(args);
  }

  @Test
  void offlineCalibrationReportsAgreementAndNamesTheSimulatedJudge() {
    assumeTrue(Files.exists(LABELS), "the shared labels file is not next to the project");
    int code = run("eval", "calibrate", "--labels", LABELS.toString(), "--judge", "gpt-4o",
        "--offline", "--limit", "6");
    assertThat(code).as(err.toString()).isZero();
    assertThat(out.toString())
        .contains("judge: gpt-4o (simulated) - Keel's simulator")
        .contains("6 instances, 12 human labels")
        .contains("judged: 6, undetermined: 0")
        .containsPattern("accuracy on decisive human labels: (0|1)\\.\\d{3}")
        .containsPattern("Cohen's kappa: -?\\d\\.\\d{3}|Cohen's kappa: n/a");
  }

  @Test
  void badInputExitsTwoNamingIt(@TempDir Path dir) throws Exception {
    Path broken = Files.writeString(dir.resolve("l.json"), "{\"not\": \"an array\"}");
    assertThat(run("eval", "calibrate", "--labels", broken.toString(), "--judge", "gpt-4o",
        "--offline")).isEqualTo(2);
    assertThat(err.toString()).contains("must hold a JSON array");
    assertThat(run("eval", "calibrate", "--labels", broken.toString(), "--judge", "gpt-4o",
        "--label", "style", "--offline")).isEqualTo(2);
    assertThat(err.toString()).contains("label must be one of");
  }
}
