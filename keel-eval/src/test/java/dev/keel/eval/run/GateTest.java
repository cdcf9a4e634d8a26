package dev.keel.eval.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keel.eval.ScoreResult;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GateTest {

  @Test
  void of_meanAndPassRate_overDeterminedItemsOnly() {
    RunResults r = run(List.of(item("a", 1.0), item("b", 0.6), item("c", 0.2),
        item("d", Double.NaN)));
    EvalFile f = file(new EvalFile.ScorerSpec("s", Map.of(), 0.6, 0.66, 0.5), 0.0);

    Gate g = Gate.of(r, f, null);

    Gate.Aggregate a = g.aggregates().get(0);
    assertThat(a.determined()).isEqualTo(3);
    assertThat(a.undetermined()).isEqualTo(1);
    assertThat(a.mean()).isEqualTo(0.6, org.assertj.core.api.Assertions.within(1e-12));
    assertThat(a.passRate()).isEqualTo(2.0 / 3);
    assertThat(g.checks()).extracting(Gate.Check::passed).containsExactly(true, true, true);
    assertThat(g.passed()).isTrue();
  }

  @Test
  void of_noDeterminedItem_failsItsThreshold() {
    RunResults r = run(List.of(item("a", Double.NaN), item("b", Double.NaN)));

    Gate g = Gate.of(r, file(new EvalFile.ScorerSpec("s", Map.of(), 0.1, null, 0.5), 0), null);

    assertThat(g.passed()).isFalse();
    assertThat(g.checks().get(1).detail()).isEqualTo("mean n/a, threshold 0.100");
  }

  @Test
  void of_taskErrors_overTheAllowedShare_fail() {
    List<ItemResult> items = new ArrayList<>(List.of(item("a", 1), item("b", 1)));
    items.add(new ItemResult("c", null, null, "503 twice", null, 0, 3, Map.of()));

    Gate strict = Gate.of(run(items), file(spec(), 0.0), null);
    Gate lenient = Gate.of(run(items), file(spec(), 0.5), null);

    assertThat(strict.passed()).isFalse();
    assertThat(strict.checks().get(0).detail()).isEqualTo("1 of 3 items failed (33.3%, max"
        + " 0.0%)");
    assertThat(lenient.passed()).isTrue();
    assertThat(Reports.junit(strict)).contains("tests=\"1\" failures=\"1\"",
        "<failure message=\"1 of 3 items failed");
  }

  private static EvalFile.ScorerSpec spec() {
    return new EvalFile.ScorerSpec("s", Map.of(), null, null, 0.5);
  }

  private static EvalFile file(EvalFile.ScorerSpec spec, double maxErrorRate) {
    return new EvalFile("g", new EvalFile.DatasetRef(Path.of("x.jsonl"), null, null),
        new EvalFile.TaskSpec("m", null, null, null, null, null, "$.answer", null), List.of(spec),
        null, null, 0, maxErrorRate, 1, 0);
  }

  private static RunResults run(List<ItemResult> items) {
    return new RunResults(new RunInfo("g-1", "x.jsonl", "sha256:1", "model", "m", null, null,
        null, Map.of("s", "1"), null), items);
  }

  private static ItemResult item(String id, double v) {
    return new ItemResult(id, "t", "out", null, null, 1, 1, Map.of("s",
        new ScoreResult("s", v, null, null)));
  }
}
