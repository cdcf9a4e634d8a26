package dev.keel.agent.example;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.keel.agent.Agent;
import dev.keel.agent.eval.AgentScorers;
import dev.keel.agent.eval.AgentScorers.Order;
import dev.keel.agent.eval.AgentTask;
import dev.keel.eval.EvalItem;
import dev.keel.eval.Scorer;
import dev.keel.eval.dataset.DatasetFiles;
import dev.keel.eval.run.EvalFile;
import dev.keel.eval.run.EvalRunner;
import dev.keel.eval.run.Evaluation;
import dev.keel.eval.run.ItemResult;
import dev.keel.eval.run.RunInfo;
import dev.keel.eval.run.RunResults;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The example support agent evaluated end to end against a real Keel with its simulator: once
 * through the evaluation file (what {@code keel eval run} does, with the agent served over
 * HTTP), once in Java with the agent scorers.
 */
class SupportAgentEvalIT {

  private static final Path EXAMPLE = Path.of("..", "examples", "support-agent");

  @TempDir
  static Path dir;
  static dev.keel.agent.KeelHarnessAccess keel;

  @BeforeAll
  static void start() {
    keel = new dev.keel.agent.KeelHarnessAccess(dir.resolve("keel"));
  }

  @AfterAll
  static void stop() {
    if (keel != null) {
      keel.close();
    }
  }

  private static Agent agent(Orders orders) {
    return SupportAgent.create(keel.sdk(), URI.create(keel.baseUrl()), keel.masterKey(),
        "gpt-4o-mini", orders);
  }

  @Test
  void evaluationFile_agentServedOverHttp_gatePasses() throws Exception {
    Orders orders = Orders.bundled();
    HttpServer server = SupportAgentMain.serve(agent(orders), orders, 0);
    try {
      // The file names port 8090; this test's endpoint has a free port, so run a copy.
      String yaml = Files.readString(EXAMPLE.resolve("eval.yaml"))
          .replace("http://127.0.0.1:8090/run", "http://127.0.0.1:"
              + server.getAddress().getPort() + "/run")
          .replace("dataset: support.jsonl", "dataset: "
              + EXAMPLE.resolve("support.jsonl").toAbsolutePath());
      Path copy = Files.writeString(dir.resolve("support-agent.yaml"), yaml);
      EvalFile local = EvalFile.read(copy);

      Evaluation.Outcome outcome = Evaluation.run(local, new Evaluation.Settings(
          URI.create(keel.baseUrl()), keel.masterKey(), dir.resolve("out"), false, null, null));

      assertThat(outcome.gate().checks()).allSatisfy(c -> assertThat(c.passed())
          .as(c.name() + ": " + c.detail()).isTrue());
      assertThat(outcome.gate().passed()).isTrue();
      // The agent scorers are named in the file and found through keel-eval's ScorerProvider.
      assertThat(outcome.gate().checks()).extracting(c -> c.name())
          .anyMatch(n -> n.contains("tool_call_f1"))
          .anyMatch(n -> n.contains("trajectory_in_order"));
      RunResults results = RunResults.read(outcome.resultsFile());
      assertThat(results.items()).hasSize(6);
      assertThat(results.byId().get("refund-kettle").output())
          .isEqualTo("1042 DELIVERED refunded 49.90");
    } finally {
      server.stop(0);
    }
  }

  @Test
  void javaEvaluation_agentScorers_allItemsScoreOne() {
    List<EvalItem> items = DatasetFiles.read(EXAMPLE.resolve("support.jsonl"));
    Map<String, Orders> books = new ConcurrentHashMap<>();
    AgentTask task = new AgentTask(item -> agent(books.computeIfAbsent(item.id(),
        id -> Orders.bundled())));
    Scorer goal = AgentScorers.goal("goal_state", c -> {
      JsonNode expected = c.item().expectedOutput();
      String orderId = c.item().metadata().path("order_id").asText();
      return books.get(c.item().id()).state(orderId).equals(expected.asText());
    });
    List<Scorer> scorers = List.of(AgentScorers.toolCallAccuracy(), AgentScorers.toolCallF1(),
        AgentScorers.trajectory(Order.EXACT), AgentScorers.trajectory(Order.ANY_ORDER), goal);
    RunInfo info = new RunInfo("support-agent-java", "support.jsonl", "file", "java",
        "gpt-4o-mini", null, null, null, Map.of(), java.time.Instant.now().toString());

    RunResults results = new EvalRunner(URI.create(keel.baseUrl()), keel.masterKey()).run(info,
        items, task, scorers, null, new EvalRunner.Options(2, 0, dir.resolve("java.jsonl"),
            false, null));

    assertThat(results.items()).hasSize(6).allSatisfy(i -> {
      assertThat(i.error()).as(i.id()).isNull();
      assertThat(i.costUsd()).as(i.id()).isPositive();
      assertThat(i.scores()).as(i.id()).hasSize(5).allSatisfy((name, s) ->
          assertThat(s.value()).as(i.id() + " " + name + ": " + s.reason()).isEqualTo(1.0));
    });
    ItemResult sofa = results.byId().get("sofa-needs-approval");
    assertThat(books.get("sofa-needs-approval").state("1044"))
        .isEqualTo("1044 DELIVERED refunded 0.00");
    JsonNode trace = keel.trace(sofa.traceId());
    assertThat(trace.path("observations").findValuesAsText("type")).contains("AGENT", "TOOL",
        "GENERATION");
  }
}
