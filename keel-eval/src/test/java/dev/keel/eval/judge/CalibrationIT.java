package dev.keel.eval.judge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.keel.simulator.Simulator;
import dev.keel.simulator.SimulatorConfig;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Calibration on the first 30 RAGChecker human-labelled instances, against the simulator. */
class CalibrationIT {

  private static final Path LABELS =
      Path.of("../../shared/data/eval/ragchecker_human_labeled_data.json");

  @Test
  void theSimulatedJudgeIsMeasuredAgainstHumanLabelsAndNamedSimulated() throws Exception {
    assumeTrue(Files.exists(LABELS), "the shared labels file is not next to the project");
    List<Calibration.Instance> all = Calibration.read(LABELS, "overall");
    assertThat(all).hasSize(280);
    assertThat(all.get(0).labels()).hasSize(2);
    try (Simulator sim = Simulator.start(SimulatorConfig.anyPort())) {
      GatewayJudge judge = new GatewayJudge(URI.create(sim.baseUrl()), "sk-test", "gpt-4o");
      Calibration.Result r = Calibration.run(judge, all.subList(0, 30), "overall");
      assertThat(r.judgeModel()).isEqualTo("gpt-4o (simulated)");
      assertThat(r.judged()).isEqualTo(30);
      assertThat(r.accuracy()).isBetween(0.0, 1.0);
      assertThat(r.agreement()).isBetween(0.0, 1.0);
      assertThat(r.humanAgreement()).isBetween(0.0, 1.0);
    }
  }
}
