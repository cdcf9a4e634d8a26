package dev.keel.agent;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** Tools for the loop tests; they record when each call started and ended. */
public final class ShopTools {

  final List<long[]> spans = new CopyOnWriteArrayList<>();
  final Map<String, BigDecimal> refunds = new ConcurrentHashMap<>();
  volatile long sleepMs;

  @Tool("Looks up an order by id")
  public Map<String, Object> lookupOrder(@Param("the order id") String orderId)
      throws InterruptedException {
    long start = System.nanoTime();
    if (sleepMs > 0) {
      Thread.sleep(sleepMs);
    }
    spans.add(new long[] {start, System.nanoTime()});
    return Map.of("order_id", orderId, "status", "shipped");
  }

  @Tool(name = "refund", value = "Refunds part of an order")
  public String refund(@Param("the order id") String orderId,
      @Param("amount in USD") BigDecimal amount, @Param("why") Optional<String> reason) {
    refunds.put(orderId, amount);
    return "refunded " + amount + " on " + orderId + reason.map(r -> " (" + r + ")").orElse("");
  }

  @Tool("Checks the warehouse; the warehouse is offline")
  public String warehouse() {
    throw new IllegalStateException("warehouse offline");
  }
}
