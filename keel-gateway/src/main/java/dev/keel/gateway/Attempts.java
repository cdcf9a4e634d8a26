package dev.keel.gateway;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keel.gateway.config.RoutingConfig;
import dev.keel.gateway.routing.Deployment;
import dev.keel.gateway.routing.DeploymentHealth;
import dev.keel.gateway.routing.RoutePlan;
import dev.keel.gateway.trace.CallRecord;
import dev.keel.providers.UpstreamException;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;

/**
 * Runs upstream attempts for one client request until one succeeds: retries of a deployment
 * with exponential backoff and jitter (honouring the provider's retry-after), then the other
 * deployments of its route, then fallbacks chosen by the class of the last error, skipping those
 * whose context window cannot hold the prompt. Each failed attempt is kept as an ERROR record for
 * the trace; the current {@link ChatCall} always names the deployment of the latest attempt.
 *
 * <p>Errors that another try cannot fix (a bad request, bad credentials, an unknown model) end
 * the loop at once. Context-window and content-policy errors are not retried on the same
 * deployment but may fall back to another.
 */
final class Attempts {

  /** One attempt against the current call's deployment, with the body for it. */
  interface Attempt<T> {
    T run(ChatCall call, byte[] body) throws IOException;
  }

  private final Gateway gateway;
  private final RoutePlan plan;
  private final ObjectNode clientBody;
  private final RoutingConfig.Retries retries;
  private final List<CallRecord> records = new ArrayList<>();
  private final Map<String, byte[]> bodies = new HashMap<>();
  private ChatCall call;
  private Integer promptTokens;
  private UpstreamException lastFailure;
  private Instant lastStart;

  /**
   * @param firstBody the upstream body for the plan's first deployment
   * @param clientBody the client's request, kept to build bodies for other deployments; null
   *     when the plan has only one deployment
   */
  Attempts(Gateway gateway, ChatCall call, RoutePlan plan, byte[] firstBody,
      ObjectNode clientBody) {
    this.gateway = gateway;
    this.call = call;
    this.plan = plan;
    this.clientBody = clientBody;
    this.retries = gateway.routing().retries();
    bodies.put(call.deployment().label(), firstBody);
  }

  ChatCall call() {
    return call;
  }

  /** When the latest attempt began. */
  Instant lastStart() {
    return lastStart;
  }

  /** Failed attempts so far, and any the caller adds, in order: the trace's observations. */
  List<CallRecord> records() {
    return records;
  }

  /** The upstream body for the current deployment. */
  byte[] body(ChatCall c) {
    return bodies.computeIfAbsent(c.deployment().label(), k -> gateway.upstreamBody(c,
        clientBody.deepCopy()));
  }

  /**
   * Runs {@code attempt} until it succeeds, with {@code bodyFor} giving the body for each
   * deployment tried. When every try failed, records the trace and throws the last error.
   */
  <T> T run(Attempt<T> attempt, Function<ChatCall, byte[]> bodyFor) throws IOException {
    DeploymentHealth health = gateway.planner().health();
    for (Deployment d : candidates()) {
      for (int r = 0; r <= retries.max(); r++) {
        call = gateway.retarget(call, d);
        Instant start = records.isEmpty() && lastStart == null ? call.start()
            : gateway.clock().instant();
        lastStart = start;
        long t0 = System.nanoTime();
        health.started(d);
        try {
          T out = attempt.run(call, bodyFor.apply(call));
          health.succeeded(d, System.nanoTime() - t0);
          return out;
        } catch (UpstreamException e) {
          blame(health, d, e);
          records.add(gateway.failedAttempt(call, start, e, null));
          lastFailure = e;
          if (!e.retriable() || r == retries.max() || !sleep(backoff(r, e))) {
            break;
          }
        }
      }
      if (lastFailure != null && !fallbackWorthy(lastFailure)) {
        break;
      }
    }
    gateway.record(call, records, null);
    throw lastFailure;
  }

  /** The primary group, then the fallback steps for the error class, as errors come in. */
  private Iterable<Deployment> candidates() {
    return () -> new java.util.Iterator<>() {
      private final List<Deployment> tried = new ArrayList<>();
      private final List<Deployment> queue = new ArrayList<>(plan.primary());
      private int step = 0;

      @Override
      public boolean hasNext() {
        while (queue.isEmpty() && lastFailure != null && step < plan.fallbacks().size()) {
          RoutePlan.FallbackStep f = plan.fallbacks().get(step++);
          String cls = errorClass(lastFailure);
          if (cls != null && f.on().contains(cls)) {
            f.deployments().stream().filter(d -> !tried.contains(d) && fits(d))
                .forEach(queue::add);
          }
        }
        return !queue.isEmpty();
      }

      @Override
      public Deployment next() {
        Deployment d = queue.remove(0);
        tried.add(d);
        return d;
      }
    };
  }

  private boolean fits(Deployment d) {
    Integer window = gateway.planner().contextWindow(d);
    if (window == null) {
      return true;
    }
    if (promptTokens == null) {
      promptTokens = (int) Math.min(Integer.MAX_VALUE, gateway.promptTokens(call, clientBody));
    }
    return promptTokens <= window;
  }

  private static void blame(DeploymentHealth health, Deployment d, UpstreamException e) {
    switch (e.kind()) {
      case BAD_REQUEST, CONTEXT_WINDOW, CONTENT_POLICY, NOT_FOUND ->
          health.finishedWithoutBlame(d);
      default -> health.failed(d);
    }
  }

  private static boolean fallbackWorthy(UpstreamException e) {
    return errorClass(e) != null;
  }

  /** The routing error class of an upstream failure, or null when no fallback can help. */
  static String errorClass(UpstreamException e) {
    if (e == null) {
      return null;
    }
    return switch (e.kind()) {
      case RATE_LIMIT -> "rate_limit";
      case SERVER_ERROR, CONNECTION, MALFORMED_RESPONSE, DISCONNECTED -> "server_error";
      case TIMEOUT -> "timeout";
      case CONTEXT_WINDOW -> "context_window";
      case CONTENT_POLICY -> "content_policy";
      default -> null;
    };
  }

  /** Exponential backoff with full jitter; the provider's retry-after wins when it is longer. */
  private long backoff(int retry, UpstreamException e) {
    long base = (long) retries.initialBackoffMs() << Math.min(retry, 20);
    long jittered = ThreadLocalRandom.current().nextLong(base / 2, base + 1);
    long wait = Math.min(jittered, retries.maxBackoffMs());
    if (e.retryAfter() != null) {
      wait = Math.max(wait, e.retryAfter().toMillis());
    }
    return wait;
  }

  /** Waits, unless the wait is longer than the settings allow (then a fallback is better). */
  private boolean sleep(long millis) {
    if (millis > retries.maxBackoffMs()) {
      return false;
    }
    try {
      Thread.sleep(millis);
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
