package dev.keel.agent;

import static dev.keel.agent.KeelHarness.children;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keel.agent.AgentResult.Status;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Handoff, structured answers and Claude through translation, against a real Keel. */
class AgentFeaturesIT {

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

  record Verdict(@Param("the order") String orderId, boolean refunded,
      Optional<String> note) {}

  @Test
  void handoff_subAgentNestsUnderTheToolAndItsCostRollsUp() {
    ShopTools tools = new ShopTools();
    Agent refunds = keel.agent("refunds", "gpt-4o-mini").tools(tools)
        .instructions("You refund. [[sim tools=refund({\"orderId\":\"4\",\"amount\":12})]]")
        .build();
    Agent front = keel.agent("front-desk", "gpt-4o-mini")
        .tool(refunds.asTool("Hands a refund over to the refunds agent"))
        .instructions("[[sim tools=refunds({\"task\":\"refund 12 on order 4\"})]]").build();

    AgentResult r = front.run("Please refund 12 on order 4");

    assertThat(r.status()).isEqualTo(Status.COMPLETED);
    assertThat(r.trajectory()).containsExactly("refunds");
    assertThat(r.toolCalls().get(0).result()).startsWith("Simulated answer from gpt-4o-mini");
    assertThat(tools.refunds).containsEntry("4", new BigDecimal("12"));
    JsonNode trace = keel.trace(r.traceId());
    JsonNode handoff = children(trace, r.observationId(), "TOOL").get(0);
    List<JsonNode> nested = children(trace, handoff.path("id").asText(), "AGENT");
    assertThat(nested).hasSize(1);
    String childId = nested.get(0).path("id").asText();
    assertThat(children(trace, childId, "GENERATION")).hasSize(2);
    assertThat(children(trace, childId, "TOOL")).extracting(o -> o.path("name").asText())
        .containsExactly("refund");
    assertThat(children(trace, r.observationId(), "GENERATION")).hasSize(2);
    assertThat(trace.path("totalCost").decimalValue()).isEqualByComparingTo(r.costUsd());
    assertThat(nested.get(0).path("metadata").path("cost_usd").decimalValue())
        .isPositive().isLessThan(r.costUsd());
  }

  @Test
  void run_withResponseType_returnsStructuredAnswer() {
    Agent agent = keel.agent("verdict", "gpt-4o-mini").responseType(Verdict.class)
        .tools(new ShopTools()).instructions("[[sim tools=lookupOrder({\"orderId\":\"8\"})]]")
        .build();

    AgentResult r = agent.run("Was order 8 refunded?");

    assertThat(r.status()).as(r.reason()).isEqualTo(Status.COMPLETED);
    assertThat(r.steps()).as("tool turn, text answer, formatting call").isEqualTo(3);
    assertThat(r.structured().has("orderId")).isTrue();
    assertThat(r.structured().path("refunded").isBoolean()).isTrue();
    JsonNode root = KeelHarness.observation(keel.trace(r.traceId()), r.observationId());
    assertThat(root.path("output")).isEqualTo(r.structured());
  }

  @Test
  void run_answerBreaksTheSchema_invalidOutput() {
    Agent agent = keel.agent("verdict", "gpt-4o-mini").responseType(Verdict.class)
        .instructions("[[sim json=invalid]]").build();

    AgentResult r = agent.run("Was order 8 refunded?");

    assertThat(r.status()).as(r.reason()).isEqualTo(Status.INVALID_OUTPUT);
    assertThat(r.reason()).startsWith("gateway answered 502: the model's answer did not match"
        + " the response_format schema");
    assertThat(r.answer()).startsWith("Simulated answer from gpt-4o-mini");
    assertThat(r.steps()).isEqualTo(1);
  }

  @Test
  void run_claudeThroughTranslation_callsToolsInSequence() {
    ShopTools tools = new ShopTools();
    Agent agent = keel.agent("shop", "claude-3-5-haiku-20241022").tools(tools)
        .instructions("[[sim tools=lookupOrder({\"orderId\":\"11\"}),"
            + "refund({\"orderId\":\"11\",\"amount\":3})]]").build();

    AgentResult r = agent.run("Refund 3 on order 11");

    assertThat(r.status()).as(r.reason()).isEqualTo(Status.COMPLETED);
    assertThat(r.trajectory()).containsExactly("lookupOrder", "refund");
    assertThat(tools.refunds).containsEntry("11", new BigDecimal("3"));
    JsonNode trace = keel.trace(r.traceId());
    assertThat(children(trace, r.observationId(), "GENERATION"))
        .allSatisfy(g -> assertThat(g.path("model").asText()).startsWith("claude-3-5-haiku"));
    assertThat(r.costUsd()).isPositive();
  }

  @Test
  void run_unknownModel_failsWithTheGatewaysReason() {
    Agent agent = keel.agent("shop", "no-such-model-x").build();

    AgentResult r = agent.run("hello");

    assertThat(r.status()).isEqualTo(Status.FAILED);
    assertThat(r.reason()).startsWith("gateway answered 4");
    assertThat(r.steps()).isZero();
  }
}
