package dev.keel.eval.judge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CalibrationTest {

  private static Calibration.Instance inst(Integer... labels) {
    return new Calibration.Instance("i", "q", "r", "a1", "a2", Arrays.asList(labels));
  }

  @Test
  void accuracyAgreementKappaAndHumanCeilingByHand() {
    List<Calibration.Instance> in = List.of(inst(2, 1), inst(-1, 0), inst(0, 0), inst(1, -1),
        inst(-2, -2));
    // Judge: +, -, +, tie, and a failure on the last.
    List<Integer> verdicts = Arrays.asList(1, -1, 1, 0, null);
    Calibration.Result r = Calibration.score("m", "overall", in, verdicts);
    assertThat(r.judged()).isEqualTo(4);
    assertThat(r.undetermined()).isEqualTo(1);
    // Decisive human labels of judged instances: 2, 1, -1, 1, -1 -> hits 2, 1, -1 = 3 of 5.
    assertThat(r.accuracy()).isEqualTo(3.0 / 5);
    // All 8 labels: signs +,+,-,0,0,0,+,- vs judge +,+,-,-,+,+,0,0 -> 3 equal.
    assertThat(r.agreement()).isEqualTo(3.0 / 8);
    // Human pairs agreeing in sign: (2,1), (0,0), (-2,-2) = 3 of 5.
    assertThat(r.humanAgreement()).isEqualTo(3.0 / 5);
    // Kappa from the confusion matrix (rows judge -,0,+; columns human -,0,+):
    // [[1,1,0],[1,0,1],[0,2,2]], n=8: po=3/8; pe=(2*2+2*3+4*3)/64=22/64.
    assertThat(r.kappa()).isCloseTo((3.0 / 8 - 22.0 / 64) / (1 - 22.0 / 64), within(1e-12));
  }

  @Test
  void aLabelsFileMissingAFieldNamesTheRow(@TempDir Path dir) throws Exception {
    Path f = Files.writeString(dir.resolve("l.json"), "[{\"instance_id\": 1, \"query\": \"q\","
        + " \"gt_answer\": \"g\", \"overall_label\": 1, \"model1\": {\"response\": \"a\"},"
        + " \"model2\": {\"response\": \"b\"}}, {\"instance_id\": 1, \"query\": \"q\"}]");
    assertThatThrownBy(() -> Calibration.read(f, "overall")).hasMessageContaining("row 2")
        .hasMessageContaining("gt_answer");
    assertThatThrownBy(() -> Calibration.read(f, "style")).hasMessageContaining("label must be");
  }
}
