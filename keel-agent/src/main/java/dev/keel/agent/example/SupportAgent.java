package dev.keel.agent.example;

import dev.keel.agent.Agent;
import dev.keel.agent.Bounds;
import dev.keel.sdk.KeelClient;
import java.math.BigDecimal;
import java.net.URI;
import java.time.Duration;

/**
 * The example support agent: looks orders up and refunds them within the rules. Refunds above
 * {@value #APPROVAL_LIMIT_USD} USD need approval, which this example's policy never gives (a
 * real one would ask a supervisor), so the model is told it was denied.
 */
public final class SupportAgent {

  /** Refunds above this need approval. */
  public static final String APPROVAL_LIMIT_USD = "100";

  static final String INSTRUCTIONS = """
      You are the support agent of a small shop. Look orders up before acting on them. Refund
      only delivered orders, never more than was paid, and say plainly what you did. Answer in
      one or two sentences.""";

  private SupportAgent() {}

  /**
   * The agent over {@code orders}, its model calls through Keel at {@code keelUrl} with
   * {@code key}, its traces recorded with {@code keel}.
   */
  public static Agent create(KeelClient keel, URI keelUrl, String key, String model,
      Orders orders) {
    BigDecimal limit = new BigDecimal(APPROVAL_LIMIT_USD);
    return Agent.builder("support-agent").keel(keel).gateway(keelUrl, key).model(model)
        .instructions(INSTRUCTIONS).tools(new SupportTools(orders))
        .bounds(Bounds.DEFAULT.withMaxSteps(6).withMaxCostUsd(new BigDecimal("0.05"))
            .withDeadline(Duration.ofSeconds(60)).withToolTimeout(Duration.ofSeconds(5)))
        .requireApproval((tool, args) -> args.path("amount").decimalValue()
            .compareTo(limit) <= 0, "refund_order")
        .build();
  }
}
