package dev.keel.eval.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keel.eval.ScoreResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ComparisonTest {

  @Test
  void bootstrap_constantDifferences_intervalIsThatDifference() {
    double[] d = {-0.5, -0.5, -0.5, -0.5};

    double[] ci = Comparison.bootstrap(d, new Random(1));

    assertThat(ci).containsExactly(-0.5, -0.5);
  }

  @Test
  void of_oneItemWorseOutOfTwenty_isWithinNoiseNotARegression() {
    RunResults a = run("a", "v1", ones(20, 20));
    RunResults b = run("b", "v1", ones(20, 19));

    Comparison c = Comparison.of(a, b, 0.0);

    Comparison.ScorerDelta d = c.deltas().get(0);
    assertThat(d.n()).isEqualTo(20);
    assertThat(d.delta()).isEqualTo(-0.05, org.assertj.core.api.Assertions.within(1e-12));
    assertThat(d.ciLow()).isLessThan(0);
    assertThat(d.ciHigh()).isEqualTo(0.0);
    assertThat(d.regression()).isFalse();
    assertThat(c.items()).extracting(Comparison.ItemDiff::id).containsExactly("i19");
  }

  @Test
  void of_halfTheItemsWorse_isARegression_unlessWithinTolerance() {
    RunResults a = run("a", "v1", ones(20, 20));
    RunResults b = run("b", "v1", ones(20, 10));

    Comparison strict = Comparison.of(a, b, 0.05);
    Comparison lenient = Comparison.of(a, b, 0.6);

    assertThat(strict.regressed()).isTrue();
    assertThat(strict.deltas().get(0).ciHigh()).isLessThan(0);
    assertThat(lenient.regressed()).isFalse();
  }

  @Test
  void of_sameSeed_sameInterval() {
    RunResults a = run("a", "v1", ones(30, 25));
    RunResults b = run("b", "v1", ones(30, 20));

    Comparison.ScorerDelta first = Comparison.of(a, b, 0).deltas().get(0);
    Comparison.ScorerDelta second = Comparison.of(a, b, 0).deltas().get(0);

    assertThat(first).isEqualTo(second);
  }

  @Test
  void of_otherDatasetVersion_isRefused() {
    RunResults a = run("a", "v1", ones(5, 5));
    RunResults b = run("b", "v2", ones(5, 5));

    assertThatThrownBy(() -> Comparison.of(a, b, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("runs are not comparable: dataset differs: qa v1 vs qa v2");
  }

  @Test
  void of_noScorerInCommon_isRefusedNamingEachRunsScorers() {
    RunResults a = run("a", "v1", ones(5, 5));
    RunResults b = new RunResults(new RunInfo("b", "qa", "v1", "model", "gpt-4o", null, null,
        null, Map.of("contains", "1", "bleu", "1"), null), ones(5, 5));

    assertThatThrownBy(() -> Comparison.of(a, b, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("runs have no scorer in common, nothing to compare: a scored exact_match,"
            + " b scored bleu, contains");
  }

  @Test
  void of_scorerVersionChanged_warnsAndDoesNotGate() {
    RunResults a = run("a", "v1", ones(20, 20));
    RunResults b0 = run("b", "v1", ones(20, 5));
    RunResults b = new RunResults(new RunInfo("b", "qa", "v1", "model", "gpt-4o", null, null,
        null, Map.of("exact_match", "2"), null), b0.items());

    Comparison c = Comparison.of(a, b, 0);

    assertThat(c.caveats()).containsExactly("scorer exact_match version differs: 1 vs 2");
    assertThat(c.deltas().get(0).comparable()).isFalse();
    assertThat(c.regressed()).isFalse();
  }

  @Test
  void of_undeterminedScores_areLeftOutOfThePairs() {
    List<ItemResult> items = new ArrayList<>(ones(4, 4));
    items.set(0, item("i0", Double.NaN));
    RunResults a = run("a", "v1", ones(4, 4));
    RunResults b = run("b", "v1", items);

    Comparison.ScorerDelta d = Comparison.of(a, b, 0).deltas().get(0);

    assertThat(d.n()).isEqualTo(3);
    assertThat(d.delta()).isZero();
  }

  static RunResults run(String name, String datasetVersion, List<ItemResult> items) {
    return new RunResults(new RunInfo(name, "qa", datasetVersion, "model", "gpt-4o", null,
        null, null, Map.of("exact_match", "1"), null), items);
  }

  /** {@code n} items, the first {@code right} scoring 1, the rest 0. */
  static List<ItemResult> ones(int n, int right) {
    List<ItemResult> items = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      items.add(item("i" + i, i < right ? 1 : 0));
    }
    return items;
  }

  static ItemResult item(String id, double value) {
    return new ItemResult(id, "t-" + id, "answer", null, null, 5, 1, Map.of("exact_match",
        new ScoreResult("exact_match", value, null, null)));
  }
}
