package dev.keel.agent.example;

import dev.keel.agent.Param;
import dev.keel.agent.Tool;
import java.math.BigDecimal;
import java.util.Optional;

/** The support agent's tools over an {@link Orders} book. */
public final class SupportTools {

  private final Orders orders;

  public SupportTools(Orders orders) {
    this.orders = orders;
  }

  @Tool(name = "lookup_order", value = "Looks up an order: customer, items, total, status and"
      + " the amount refunded so far")
  public Orders.Order lookupOrder(@Param(name = "order_id", value = "the order number")
      String orderId) {
    return orders.find(orderId)
        .orElseThrow(() -> new IllegalArgumentException("no order " + orderId));
  }

  @Tool(name = "refund_order", value = "Refunds part or all of a delivered order. Refunds over"
      + " 100 USD need a supervisor's approval")
  public String refund(@Param(name = "order_id", value = "the order number") String orderId,
      @Param("the amount to refund in USD") BigDecimal amount,
      @Param("why the customer gets the refund") Optional<String> reason) {
    Orders.Order o = orders.refund(orderId, amount);
    return "refunded " + amount.toPlainString() + " USD on order " + orderId
        + reason.map(r -> " (" + r + ")").orElse("") + "; refunded in total "
        + o.refunded().toPlainString() + " of " + o.total().toPlainString();
  }
}
