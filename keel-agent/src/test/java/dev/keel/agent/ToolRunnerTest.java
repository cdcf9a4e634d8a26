package dev.keel.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keel.agent.ToolCallRecord.Outcome;
import dev.keel.sdk.KeelClient;
import dev.keel.sdk.Observation;
import dev.keel.sdk.ObservationType;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Tool turns without a model: what reaches the model for each kind of trouble. */
class ToolRunnerTest {

  // No keys: the client records nothing, which is all these tests need from it.
  private final KeelClient keel = KeelClient.builder().baseUrl("http://127.0.0.1:9")
      .publicKey("").secretKey("").shutdownHook(false).build();

  @AfterEach
  void close() {
    keel.close();
  }

  private List<ToolRunner.Finished> run(Approval approval, ToolRunner.Call... calls)
      throws InterruptedException {
    Map<String, AgentTool> tools = new LinkedHashMap<>();
    AgentTool.fromMethods(new ShopTools()).forEach(t -> tools.put(t.name(), t));
    ToolRunner runner = new ToolRunner(tools, Set.of("refund"), approval);
    // Detached: a trace made current here would outlive the test on this thread.
    Observation agent = keel.startDetached(ObservationType.AGENT, "a");
    return runner.runAll(List.of(calls), agent, Duration.ofSeconds(5));
  }

  @Test
  void runAll_argumentsNotJson_invalidArgumentsNamed() throws Exception {
    List<ToolRunner.Finished> done = run(null,
        new ToolRunner.Call("c1", "lookupOrder", "{\"orderId\": \"1\""));

    assertThat(done.get(0).outcome()).isEqualTo(Outcome.INVALID_ARGUMENTS);
    assertThat(done.get(0).result()).isEqualTo("error: invalid arguments for lookupOrder:"
        + " arguments are not JSON: {\"orderId\": \"1\"");
    assertThat(done.get(0).record().arguments().asText()).isEqualTo("{\"orderId\": \"1\"");
  }

  @Test
  void runAll_unknownTool_listsTheTools() throws Exception {
    List<ToolRunner.Finished> done = run(null, new ToolRunner.Call("c1", "teleport", "{}"));

    assertThat(done.get(0).outcome()).isEqualTo(Outcome.UNKNOWN_TOOL);
    assertThat(done.get(0).result()).startsWith("error: there is no tool named teleport; tools:")
        .contains("lookupOrder", "refund", "warehouse");
  }

  @Test
  void runAll_approvalHookThrows_countsAsDenied() throws Exception {
    List<ToolRunner.Finished> done = run((name, args) -> {
      throw new IllegalStateException("approval service down");
    }, new ToolRunner.Call("c1", "refund", "{\"orderId\": \"1\", \"amount\": 3}"),
        new ToolRunner.Call("c2", "lookupOrder", "{\"orderId\": \"1\"}"));

    assertThat(done).extracting(ToolRunner.Finished::outcome)
        .containsExactly(Outcome.DENIED, Outcome.OK);
    assertThat(done).extracting(f -> f.call().id()).containsExactly("c1", "c2");
  }
}
