package dev.keel.agent.example;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The example's order book: the bundled {@code orders.json}, held in memory, refunds applied to
 * it. Thread-safe (refunds of one order are serialised), so parallel tool calls are safe.
 */
public final class Orders {

  private final Map<String, Order> orders = new LinkedHashMap<>();

  private Orders(List<Order> list) {
    list.forEach(o -> orders.put(o.id(), o));
  }

  /** One order. {@code refunded} is what was paid back so far. */
  public record Order(String id, String customer, List<String> items, BigDecimal total,
      Status status, BigDecimal refunded) {
    public Order {
      Objects.requireNonNull(id, "id");
      refunded = refunded == null ? BigDecimal.ZERO : refunded;
      items = List.copyOf(items);
    }

    Order withRefund(BigDecimal amount) {
      return new Order(id, customer, items, total, status, refunded.add(amount));
    }
  }

  /** Where an order is. Only delivered orders can be refunded. */
  public enum Status { PROCESSING, SHIPPED, DELIVERED }

  /** The bundled order book, fresh (no refunds). */
  public static Orders bundled() {
    try (InputStream in = Orders.class.getResourceAsStream("orders.json")) {
      return new Orders(new ObjectMapper().readValue(in, new TypeReference<List<Order>>() {}));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the bundled orders.json", e);
    }
  }

  public synchronized Optional<Order> find(String id) {
    return Optional.ofNullable(orders.get(id));
  }

  /** Applies a refund; throws IllegalArgumentException naming the rule it breaks. */
  public synchronized Order refund(String id, BigDecimal amount) {
    Order o = find(id).orElseThrow(() -> new IllegalArgumentException("no order " + id));
    if (o.status() != Status.DELIVERED) {
      throw new IllegalArgumentException("order " + id + " is " + o.status()
          + "; only delivered orders can be refunded");
    }
    if (amount.signum() <= 0) {
      throw new IllegalArgumentException("amount must be positive: " + amount);
    }
    BigDecimal left = o.total().subtract(o.refunded());
    if (amount.compareTo(left) > 0) {
      throw new IllegalArgumentException("amount " + amount + " is more than the " + left
          + " USD left to refund on order " + id);
    }
    Order updated = o.withRefund(amount);
    orders.put(id, updated);
    return updated;
  }

  /** A one-line state of an order, for goal checks: {@code 1042 DELIVERED refunded 49.90}. */
  public synchronized String state(String id) {
    return find(id).map(o -> id + " " + o.status() + " refunded "
        + o.refunded().setScale(2, java.math.RoundingMode.HALF_UP).toPlainString())
        .orElse(id + " unknown");
  }
}
