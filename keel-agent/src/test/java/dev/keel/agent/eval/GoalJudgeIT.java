package dev.keel.agent.eval;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keel.agent.KeelHarnessAccess;
import dev.keel.eval.EvalItem;
import dev.keel.eval.ScoreResult;
import dev.keel.eval.Scorer;
import dev.keel.eval.ScoringContext;
import dev.keel.eval.TaskOutput;
import dev.keel.eval.judge.GatewayJudge;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Goal success by judge, asked through a real Keel whose simulator plays the judge. */
class GoalJudgeIT {

  @TempDir
  Path dir;

  @Test
  void goalByJudge_simulatedJudge_passesTheMatchingAnswerOnly() throws Exception {
    try (KeelHarnessAccess keel = new KeelHarnessAccess(dir)) {
      GatewayJudge judge = new GatewayJudge(URI.create(keel.baseUrl()), keel.masterKey(),
          "gpt-4o-mini");
      EvalItem item = new EvalItem("k1", new ObjectMapper().readTree(
          "\"My kettle from order 1042 broke, refund it\""),
          new ObjectMapper().readTree("\"I refunded 49.90 USD on order 1042.\""), List.of(),
          null);
      Scorer goal = AgentScorers.goalByJudge("the customer's order is refunded");

      ScoreResult good = goal.score(new ScoringContext(item, output(
          "I refunded 49.90 USD on order 1042."), judge));
      ScoreResult bad = goal.score(new ScoringContext(item, output(
          "Our shop opens at nine tomorrow morning."), judge));

      assertThat(good.value()).as(good.reason()).isEqualTo(1.0);
      assertThat(bad.value()).as(bad.reason()).isZero();
      assertThat(judge.simulated()).isTrue();
    }
  }

  private static TaskOutput output(String text) {
    return new TaskOutput(text, null, List.of(), List.of(), null, 1, null, null);
  }
}
