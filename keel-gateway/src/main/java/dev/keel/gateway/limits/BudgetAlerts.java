package dev.keel.gateway.limits;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keel.store.BudgetRecord;
import dev.keel.store.BudgetStore;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Budget alerts: a soft limit crossed, or the hard limit reached, once per budget and period
 * across every instance (the store's alert marks decide who sends), as a WARN line and, when
 * configured, a JSON POST to a webhook. Runs off the request path on its own thread.
 */
final class BudgetAlerts implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(BudgetAlerts.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final BudgetStore store;
  private final String webhookUrl;
  private final Clock clock;
  private final ExecutorService worker = Executors.newSingleThreadExecutor(
      r -> Thread.ofPlatform().daemon().name("keel-budget-alerts").unstarted(r));
  private final Set<String> decided = ConcurrentHashMap.newKeySet();
  private final HttpClient http;

  BudgetAlerts(BudgetStore store, String webhookUrl, Clock clock) {
    this.store = store;
    this.webhookUrl = webhookUrl;
    this.clock = clock;
    this.http = webhookUrl == null ? null : HttpClient.newBuilder()
        .connectTimeout(Duration.ofSeconds(5)).build();
  }

  /** After spend settled: alerts each soft limit that {@code spent} has reached. */
  void spent(Budget b, Counters.BudgetSlot slot, long spent) {
    var soft = b.record().softLimits();
    for (int i = 0; i < soft.size(); i++) {
      BigDecimal threshold = soft.get(i);
      long at = BigDecimal.valueOf(slot.limitPico()).multiply(threshold)
          .setScale(0, RoundingMode.CEILING).longValue();
      if (spent >= at) {
        raise(b, slot, i, "budget.soft_limit", threshold, spent);
      }
    }
  }

  /** A request was refused by this budget. */
  void limitReached(Budget b, Counters.BudgetSlot slot, long spent) {
    raise(b, slot, BudgetRecord.MAX_SOFT_LIMITS, "budget.limit_reached", BigDecimal.ONE, spent);
  }

  /** Waits until alerts already raised are sent (tests use it). */
  void drain() {
    try {
      worker.submit(() -> { }).get();
    } catch (Exception e) {
      throw new IllegalStateException("alert worker failed", e);
    }
  }

  @Override
  public void close() {
    worker.shutdown();
  }

  private void raise(Budget b, Counters.BudgetSlot slot, int index, String type,
      BigDecimal threshold, long spent) {
    String mark = slot.key() + "|" + index;
    if (!decided.add(mark)) {
      return;
    }
    worker.execute(() -> {
      try {
        if (store.markAlerted(b.id(), slot.periodStart(), index, clock.instant())) {
          send(b, slot, type, threshold, spent);
        }
      } catch (RuntimeException e) {
        decided.remove(mark);
        log.warn("could not raise budget alert for {}: {}", b.describe(), e.getMessage());
      }
    });
  }

  private void send(Budget b, Counters.BudgetSlot slot, String type, BigDecimal threshold,
      long spent) {
    log.warn("{}: {} spent {} of {} ({}% threshold) in the period from {}; resets at {}",
        type, b.describe(), Budget.money(spent), Budget.money(slot.limitPico()),
        threshold.movePointRight(2).stripTrailingZeros().toPlainString(), slot.periodStart(),
        b.period().isTotal() ? "never" : slot.periodEnd());
    if (http == null) {
      return;
    }
    ObjectNode body = JSON.createObjectNode().put("type", type).put("budget_id", b.id())
        .put("scope", b.record().scope()).put("subject", b.record().subject())
        .put("model", b.record().model()).put("period", b.period().text())
        .put("period_start", slot.periodStart().toString())
        .put("resets_at", b.period().isTotal() ? null : slot.periodEnd().toString())
        .put("threshold", threshold).put("spent_usd", Budget.usd(spent))
        .put("limit_usd", Budget.usd(slot.limitPico()));
    HttpRequest req = HttpRequest.newBuilder(URI.create(webhookUrl))
        .timeout(Duration.ofSeconds(10)).header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build();
    try {
      HttpResponse<Void> r = http.send(req, HttpResponse.BodyHandlers.discarding());
      if (r.statusCode() >= 300) {
        log.warn("budget alert webhook answered {}; the alert was logged only", r.statusCode());
      }
    } catch (Exception e) {
      log.warn("budget alert webhook failed ({}); the alert was logged only", e.toString());
    }
  }
}
