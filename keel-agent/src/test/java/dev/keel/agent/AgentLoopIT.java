package dev.keel.agent;

import static dev.keel.agent.KeelHarness.children;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keel.agent.AgentResult.Status;
import dev.keel.agent.ToolCallRecord.Outcome;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The loop against a real Keel whose simulator is scripted to call tools. */
class AgentLoopIT {

  @TempDir
  static Path dir;
  static KeelHarness keel;

  @BeforeAll
  static void start() {
    keel = new KeelHarness(dir);
  }

  @AfterAll
  static void stop() {
    if (keel != null) {
      keel.close();
    }
  }

  private static Agent agent(ShopTools tools, String directive, Bounds bounds) {
    return keel.agent("shop", "gpt-4o-mini").tools(tools).bounds(bounds)
        .instructions("You help shoppers. [[sim " + directive + "]]").build();
  }

  @Test
  void run_toolsInSequence_completesWithTraceTreeAndCost() {
    ShopTools tools = new ShopTools();
    Agent agent = agent(tools, "tools=lookupOrder({\"orderId\":\"1042\"}),"
        + "refund({\"orderId\":\"1042\",\"amount\":12.5})", Bounds.DEFAULT);

    AgentResult r = agent.run("Refund 12.50 on order 1042");

    assertThat(r.status()).isEqualTo(Status.COMPLETED);
    assertThat(r.trajectory()).containsExactly("lookupOrder", "refund");
    assertThat(r.steps()).isEqualTo(3);
    assertThat(r.answer()).startsWith("Simulated answer from gpt-4o-mini");
    assertThat(tools.refunds).containsEntry("1042", new BigDecimal("12.5"));
    assertThat(r.toolCalls().get(0).result()).contains("\"status\":\"shipped\"");
    assertThat(r.costUsd()).isPositive();
    assertThat(r.costComplete()).isTrue();

    JsonNode trace = keel.trace(r.traceId());
    JsonNode root = KeelHarness.observation(trace, r.observationId());
    assertThat(root.path("type").asText()).isEqualTo("AGENT");
    assertThat(root.path("parentObservationId").isNull()).isTrue();
    assertThat(root.path("metadata").path("cost_usd").decimalValue())
        .isEqualByComparingTo(r.costUsd());
    List<JsonNode> generations = children(trace, r.observationId(), "GENERATION");
    List<JsonNode> toolSteps = children(trace, r.observationId(), "TOOL");
    assertThat(generations).hasSize(3);
    assertThat(toolSteps).extracting(o -> o.path("name").asText())
        .containsExactlyInAnyOrder("lookupOrder", "refund");
    assertThat(toolSteps).allSatisfy(t -> assertThat(t.path("metadata").has("duration_ms"))
        .isTrue());
    assertThat(trace.path("totalCost").decimalValue()).isEqualByComparingTo(r.costUsd());
  }

  @Test
  void run_parallelToolCalls_runConcurrently() {
    ShopTools tools = new ShopTools();
    tools.sleepMs = 400;
    Agent agent = agent(tools, "parallel=true tools=lookupOrder({\"orderId\":\"1\"}),"
        + "lookupOrder({\"orderId\":\"2\"}),lookupOrder({\"orderId\":\"3\"})", Bounds.DEFAULT);

    AgentResult r = agent.run("Where are orders 1, 2 and 3?");

    assertThat(r.status()).isEqualTo(Status.COMPLETED);
    assertThat(r.steps()).isEqualTo(2);
    assertThat(r.toolCalls()).hasSize(3).allMatch(ToolCallRecord::ok);
    long latestStart = tools.spans.stream().mapToLong(s -> s[0]).max().orElseThrow();
    long earliestEnd = tools.spans.stream().mapToLong(s -> s[1]).min().orElseThrow();
    assertThat(latestStart).as("every call started before any ended").isLessThan(earliestEnd);
    assertThat(children(keel.trace(r.traceId()), r.observationId(), "TOOL")).hasSize(3);
  }

  @Test
  void run_modelLoopsForever_stopsAtMaxSteps() {
    Agent agent = agent(new ShopTools(), "loop=true tools=lookupOrder({\"orderId\":\"7\"})",
        Bounds.DEFAULT.withMaxSteps(4).withMaxRepeats(0));

    AgentResult r = agent.run("Where is order 7?");

    assertThat(r.status()).isEqualTo(Status.MAX_STEPS);
    assertThat(r.reason()).isEqualTo("reached maxSteps 4 without a final answer");
    assertThat(r.steps()).isEqualTo(4);
    assertThat(r.toolCalls()).hasSize(4);
    JsonNode trace = keel.trace(r.traceId());
    assertThat(children(trace, r.observationId(), "GENERATION")).hasSize(4);
    JsonNode root = KeelHarness.observation(trace, r.observationId());
    assertThat(root.path("level").asText()).isEqualTo("WARNING");
    assertThat(root.path("statusMessage").asText()).startsWith("MAX_STEPS");
  }

  @Test
  void run_sameCallRepeated_stopsAtMaxRepeats() {
    Agent agent = agent(new ShopTools(), "loop=true tools=lookupOrder({\"orderId\":\"7\"})",
        Bounds.DEFAULT.withMaxSteps(20).withMaxRepeats(3));

    AgentResult r = agent.run("Where is order 7?");

    assertThat(r.status()).isEqualTo(Status.REPEATED_TOOL_CALL);
    assertThat(r.reason()).isEqualTo("tool lookupOrder was called 3 times with the same"
        + " arguments {\"orderId\":\"7\"}");
    assertThat(r.steps()).isEqualTo(3);
    assertThat(r.toolCalls()).hasSize(2);
  }

  @Test
  void run_toolThrows_errorGoesToModelAndRunCompletes() {
    Agent agent = agent(new ShopTools(), "tools=warehouse", Bounds.DEFAULT);

    AgentResult r = agent.run("Is anything in stock?");

    assertThat(r.status()).isEqualTo(Status.COMPLETED);
    ToolCallRecord call = r.toolCalls().get(0);
    assertThat(call.outcome()).isEqualTo(Outcome.ERROR);
    assertThat(call.result()).isEqualTo("error: IllegalStateException: warehouse offline");
    assertThat(r.messages().get(3).path("content").asText()).isEqualTo(call.result());
    JsonNode tool = KeelHarness.observation(keel.trace(r.traceId()), call.observationId());
    assertThat(tool.path("level").asText()).isEqualTo("ERROR");
    assertThat(tool.path("statusMessage").asText()).contains("warehouse offline");
  }

  @Test
  void run_malformedArguments_errorNamesTheProblem() {
    Agent agent = agent(new ShopTools(), "tools=lookupOrder({\"order\":42}),"
        + "refund({\"orderId\":\"9\",\"amount\":\"lots\"})", Bounds.DEFAULT);

    AgentResult r = agent.run("Refund order 9");

    assertThat(r.status()).isEqualTo(Status.COMPLETED);
    assertThat(r.toolCalls()).extracting(ToolCallRecord::outcome)
        .containsExactly(Outcome.INVALID_ARGUMENTS, Outcome.INVALID_ARGUMENTS);
    assertThat(r.toolCalls().get(0).result())
        .isEqualTo("error: invalid arguments for lookupOrder: missing required argument orderId");
    assertThat(r.toolCalls().get(1).result())
        .isEqualTo("error: invalid arguments for refund: argument amount must be a number:"
            + " \"lots\"");
  }

  @Test
  void run_slowTool_timesOutAsToolResult() {
    ShopTools tools = new ShopTools();
    tools.sleepMs = 10_000;
    Agent agent = agent(tools, "tools=lookupOrder({\"orderId\":\"5\"})",
        Bounds.DEFAULT.withToolTimeout(Duration.ofMillis(300)));

    long start = System.nanoTime();
    AgentResult r = agent.run("Where is order 5?");

    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    assertThat(r.status()).isEqualTo(Status.COMPLETED);
    assertThat(r.toolCalls().get(0).outcome()).isEqualTo(Outcome.TIMEOUT);
    assertThat(r.toolCalls().get(0).result())
        .isEqualTo("error: tool lookupOrder timed out after 300 ms");
  }

  @Test
  void run_pastDeadline_stopsWithPartialResult() {
    ShopTools tools = new ShopTools();
    tools.sleepMs = 10_000;
    Agent agent = agent(tools, "tools=lookupOrder({\"orderId\":\"5\"})",
        Bounds.DEFAULT.withDeadline(Duration.ofMillis(2500)));

    long start = System.nanoTime();
    AgentResult r = agent.run("Where is order 5?");

    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(6));
    assertThat(r.status()).isEqualTo(Status.DEADLINE);
    assertThat(r.reason()).isEqualTo("passed the deadline of 2500 ms");
    assertThat(r.steps()).isEqualTo(1);
    assertThat(r.toolCalls()).extracting(ToolCallRecord::outcome)
        .containsExactly(Outcome.TIMEOUT);
  }

  @Test
  void run_overCostLimit_stopsAfterTheStepThatCrossedIt() {
    Agent agent = agent(new ShopTools(), "tools=lookupOrder({\"orderId\":\"1\"}),"
        + "lookupOrder({\"orderId\":\"2\"})",
        Bounds.DEFAULT.withMaxCostUsd(new BigDecimal("0.0000001")));

    AgentResult r = agent.run("Where are my orders?");

    assertThat(r.status()).isEqualTo(Status.MAX_COST);
    assertThat(r.steps()).isEqualTo(1);
    assertThat(r.toolCalls()).isEmpty();
    assertThat(r.reason()).startsWith("spent ").endsWith(" USD, over maxCostUsd 0.0000001");
    assertThat(keel.trace(r.traceId()).path("totalCost").decimalValue())
        .isEqualByComparingTo(r.costUsd());
  }

  @Test
  void run_zeroBudget_makesNoModelCall() {
    Agent agent = agent(new ShopTools(), "tools=lookupOrder({\"orderId\":\"1\"})",
        Bounds.DEFAULT.withMaxCostUsd(BigDecimal.ZERO));

    AgentResult r = agent.run("Where is order 1?");

    assertThat(r.status()).isEqualTo(Status.MAX_COST);
    assertThat(r.steps()).isZero();
    assertThat(r.answer()).isNull();
    assertThat(children(keel.trace(r.traceId()), r.observationId(), "GENERATION")).isEmpty();
  }

  @Test
  void run_toolNeedsApproval_deniedIsAToolResult() {
    ShopTools tools = new ShopTools();
    Agent agent = keel.agent("shop", "gpt-4o-mini").tools(tools)
        .instructions("[[sim tools=refund({\"orderId\":\"3\",\"amount\":99})]]")
        .requireApproval((name, args) -> args.path("amount").asDouble() < 50, "refund")
        .build();

    AgentResult r = agent.run("Refund order 3 in full");

    assertThat(r.status()).isEqualTo(Status.COMPLETED);
    assertThat(r.toolCalls().get(0).outcome()).isEqualTo(Outcome.DENIED);
    assertThat(r.toolCalls().get(0).result()).startsWith("denied: tool refund needs approval");
    assertThat(tools.refunds).isEmpty();
  }
}
