package dev.keel.gateway.limits;

import dev.keel.core.cost.Cost;
import dev.keel.gateway.auth.Principal;
import dev.keel.gateway.routing.Deployment;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Decides whether a gateway request may go upstream (key scope, budgets, rate limits) before any
 * provider is called, and settles what it really cost afterwards.
 *
 * <p>{@link #admit} either returns a {@link Ticket} or throws a
 * {@link dev.keel.core.error.KeelException} (403 for a model outside the key's scope, 429 with a
 * retry-after for a rate limit or a spent budget, the message naming which limit, what was spent
 * and the limit). The gateway calls {@link Ticket#settle} exactly once per admitted request, with
 * the summed cost of every billed attempt (null when unknown), also when the request failed.
 */
public interface Admission {

  /** Admits everything and records nothing. */
  Admission NONE = (principal, requestedModel, deployment, estimate) -> Ticket.NONE;

  /**
   * @param requestedModel the model name the client sent
   * @param deployment where it will be served
   * @param estimate what Keel expects the call to cost (prompt tokens priced, plus max output
   *     when the request sets one), to reserve against budgets until settled; computed only
   *     when asked for (counting tokens is not free), and null when the price is unknown
   */
  Ticket admit(Principal principal, String requestedModel, Deployment deployment,
      Supplier<Cost> estimate);

  /** An admitted request, holding whatever it reserved. */
  interface Ticket {

    Ticket NONE = new Ticket() {
      @Override
      public void settle(Cost actual) {}

      @Override
      public Map<String, String> headers() {
        return Map.of();
      }
    };

    /** Releases the reservation and records the real cost (null when unknown). */
    void settle(Cost actual);

    /**
     * As {@link #settle(Cost)}, also counting the tokens the provider billed (prompt plus
     * completion) against tokens-per-minute limits. Call one of the two, once.
     */
    default void settle(Cost actual, long billedTokens) {
      settle(actual);
    }

    /** Response headers to send, such as {@code x-ratelimit-remaining-requests}. */
    Map<String, String> headers();
  }
}
