package dev.keel.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.TextNode;
import dev.keel.eval.EvalItem;
import dev.keel.eval.ScoreResult;
import dev.keel.eval.ScoringContext;
import dev.keel.eval.TaskOutput;
import dev.keel.eval.judge.GatewayJudge;
import dev.keel.eval.score.Scorers;
import dev.keel.server.KeelServer;
import dev.keel.server.ServerSettings;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** GatewayJudge through a real Keel with its built-in simulator: traced, named simulated. */
class GatewayJudgeIT {

  private static final String KEY = "sk-keel-master-judge-it";

  @Test
  void aJudgeThroughKeelScoresAndIsNamedSimulated(@TempDir Path tmp) {
    try (KeelServer keel = KeelServer.start(new ServerSettings("127.0.0.1", 0,
        tmp.resolve("data"), null, null, Map.of("KEEL_MASTER_KEY", KEY)))) {
      GatewayJudge judge = new GatewayJudge(URI.create("http://127.0.0.1:" + keel.port()), KEY,
          "gpt-4o");
      EvalItem item = new EvalItem("eiffel", TextNode.valueOf("Where is the Eiffel Tower?"),
          TextNode.valueOf("The Eiffel Tower is in Paris."), List.of(), null);
      TaskOutput right = new TaskOutput("The Eiffel Tower is in Paris.", null, null, null, null,
          5, null, null);
      TaskOutput wrong = new TaskOutput("Bananas grow on plants in warm countries.", null, null,
          null, null, 5, null, null);
      var scorer = Scorers.byName("reference_guided", Map.of());
      ScoreResult good = scorer.score(new ScoringContext(item, right, judge));
      ScoreResult bad = scorer.score(new ScoringContext(item, wrong, judge));
      assertThat(good.value()).as(good.reason()).isEqualTo(1.0);
      assertThat(bad.value()).as(bad.reason()).isEqualTo(0.0);
      assertThat(judge.simulated()).isTrue();
      assertThat(judge.model()).isEqualTo("gpt-4o (simulated)");

      GatewayJudge badKey = new GatewayJudge(URI.create("http://127.0.0.1:" + keel.port()),
          "sk-wrong", "gpt-4o");
      ScoreResult denied = scorer.score(new ScoringContext(item, right, badKey));
      assertThat(denied.determined()).isFalse();
      assertThat(denied.reason()).contains("HTTP 401");
    }
  }
}
