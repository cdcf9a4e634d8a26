package dev.keel.eval.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.TextNode;
import dev.keel.eval.EvalItem;
import dev.keel.eval.ScoreResult;
import dev.keel.eval.Scorer;
import dev.keel.eval.ScoringContext;
import dev.keel.eval.TaskOutput;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The runner with Java tasks and no Keel: concurrency, retries, failures, resume. */
class EvalRunnerTest {

  private static final Scorer ECHO_IS_EXPECTED = new Scorer() {
    @Override
    public String name() {
      return "echo";
    }

    @Override
    public String version() {
      return "1";
    }

    @Override
    public ScoreResult score(ScoringContext c) {
      boolean eq = c.output().text().equals(c.item().expectedOutput().asText());
      return new ScoreResult("echo", eq ? 1 : 0, null, null);
    }
  };

  @TempDir
  Path dir;

  @Test
  void run_boundedConcurrency_neverMoreItemsAtOnceThanAllowed() {
    AtomicInteger inFlight = new AtomicInteger();
    AtomicInteger peak = new AtomicInteger();
    Task slow = (item, trace) -> {
      peak.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
      sleep(20);
      inFlight.decrementAndGet();
      return answer(item.input().asText());
    };

    RunResults r = runner().run(info(), items(24), slow, List.of(ECHO_IS_EXPECTED), null,
        options(3, 0, false));

    assertThat(peak.get()).isBetween(2, 3);
    assertThat(r.items()).hasSize(24).allMatch(i -> i.scores().get("echo").value() == 1.0);
    assertThat(r.items()).extracting(ItemResult::id).startsWith("i0", "i1", "i2");
  }

  @Test
  void run_retryableFailure_retriedThenSucceeds_otherFailureNotRetried() {
    Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    Task flaky = (item, trace) -> {
      int n = calls.computeIfAbsent(item.id(), k -> new AtomicInteger()).incrementAndGet();
      if (item.id().equals("i0") && n <= 2) {
        throw new Task.RetryableException("429 rate limited", 1);
      }
      if (item.id().equals("i1")) {
        throw new IllegalStateException("400 bad request");
      }
      return answer(item.input().asText());
    };

    RunResults r = runner().run(info(), items(3), flaky, List.of(ECHO_IS_EXPECTED), null,
        options(2, 2, false));

    assertThat(r.byId().get("i0").attempts()).isEqualTo(3);
    assertThat(r.byId().get("i0").failed()).isFalse();
    assertThat(r.byId().get("i1").attempts()).isEqualTo(1);
    assertThat(r.byId().get("i1").error()).isEqualTo("400 bad request");
    assertThat(r.byId().get("i1").scores()).isEmpty();
  }

  @Test
  void run_scorerThrows_itemUndeterminedWithTheReason() {
    Scorer broken = new Scorer() {
      public String name() {
        return "broken";
      }

      public String version() {
        return "1";
      }

      public ScoreResult score(ScoringContext c) {
        throw new IllegalStateException("judge said garbage");
      }
    };

    RunResults r = runner().run(info(), items(1), (i, t) -> answer("x"), List.of(broken), null,
        options(1, 0, false));

    ScoreResult s = r.items().get(0).scores().get("broken");
    assertThat(s.determined()).isFalse();
    assertThat(s.reason()).isEqualTo("scorer failed: judge said garbage");
  }

  @Test
  void run_resume_skipsFinishedItems_rerunsFailedOnes_andKeepsTheRunName() throws Exception {
    List<String> called = new ArrayList<>();
    Task failsI3 = (item, trace) -> {
      if (item.id().equals("i3")) {
        throw new IllegalStateException("down");
      }
      return answer(item.input().asText());
    };
    runner().run(info(), items(5), failsI3, List.of(ECHO_IS_EXPECTED), null,
        options(1, 0, false));
    Task recording = (item, trace) -> {
      synchronized (called) {
        called.add(item.id());
      }
      return answer(item.input().asText());
    };
    RunInfo later = new RunInfo("later-run", "qa", "v1", "java", null, null, null, null,
        Map.of("echo", "1"), null);

    RunResults r = runner().run(later, items(5), recording, List.of(ECHO_IS_EXPECTED), null,
        options(1, 0, true));

    assertThat(called).containsExactly("i3");
    assertThat(r.info().run()).isEqualTo("run-1");
    assertThat(r.items()).hasSize(5).noneMatch(ItemResult::failed);
    assertThat(RunResults.read(dir.resolve("results.jsonl")).byId()).hasSize(5)
        .allSatisfy((id, item) -> assertThat(item.failed()).isFalse());
  }

  @Test
  void run_resumeAnotherRunsFile_isRefusedNamingTheDifference() {
    runner().run(info(), items(2), (i, t) -> answer("x"), List.of(ECHO_IS_EXPECTED), null,
        options(1, 0, false));
    RunInfo otherModel = new RunInfo("r", "qa", "v1", "model", "gpt-4o", null, null, null,
        Map.of("echo", "1"), null);

    assertThatThrownBy(() -> runner().run(otherModel, items(2), (i, t) -> answer("x"),
        List.of(ECHO_IS_EXPECTED), null, options(1, 0, true)))
        .hasMessageContaining("it holds another run (model differs: null vs gpt-4o)");
  }

  @Test
  void read_resultsWithATornLastLine_ignoresIt_butABrokenMiddleLineIsNamed() throws Exception {
    runner().run(info(), items(3), (i, t) -> answer("x"), List.of(ECHO_IS_EXPECTED), null,
        options(1, 0, false));
    Path file = dir.resolve("results.jsonl");
    List<String> lines = Files.readAllLines(file);
    Files.writeString(file, lines.get(0) + "\n" + lines.get(1) + "\n" + lines.get(2)
        .substring(0, 10));
    Path broken = Files.writeString(dir.resolve("broken.jsonl"), lines.get(0) + "\n{oops\n"
        + lines.get(1) + "\n");

    assertThat(RunResults.read(file).items()).hasSize(1);
    assertThatThrownBy(() -> RunResults.read(broken))
        .hasMessageEndingWith("broken.jsonl line 2 is not a Keel eval result");
  }

  private static EvalRunner runner() {
    return new EvalRunner(null, null);
  }

  private static RunInfo info() {
    return new RunInfo("run-1", "qa", "v1", "java", null, null, null, null,
        Map.of("echo", "1"), null);
  }

  private EvalRunner.Options options(int concurrency, int retries, boolean resume) {
    return new EvalRunner.Options(concurrency, retries, dir.resolve("results.jsonl"), resume,
        null);
  }

  private static List<EvalItem> items(int n) {
    List<EvalItem> items = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      items.add(new EvalItem("i" + i, new TextNode("a" + i), new TextNode("a" + i), null,
          null));
    }
    return items;
  }

  private static TaskOutput answer(String text) {
    return new TaskOutput(text, null, null, null, null, 1, null, null);
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
