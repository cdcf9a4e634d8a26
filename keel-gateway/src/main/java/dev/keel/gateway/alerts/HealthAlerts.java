package dev.keel.gateway.alerts;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keel.gateway.config.AlertSettings;
import dev.keel.store.AlertStore;
import dev.keel.store.CallHealth;
import dev.keel.store.ReportStore;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Error-rate and p95-latency alerts: every {@code check_seconds} one thread reads how the
 * gateway's generations of the last {@code window_seconds} fared from the store, and when a
 * threshold is crossed it logs a WARN line and POSTs the alert to the webhook. An alert fires
 * when its condition starts and resolves when it ends, so a long incident is one alert, not
 * one a minute.
 *
 * <p>The store is read rather than this instance's metrics so that the numbers cover every
 * instance sharing it. Every instance checks, but the alert's state (firing or resolved) is
 * kept in the store too: an instance that sees it change moves the shared state with a
 * conditional update, and only the one whose update took sends, so a cluster alerts once. A
 * state may not be moved back within half a check interval of its last change, so two
 * instances reading the store a moment apart at the edge of a condition cannot flap it.
 */
public final class HealthAlerts implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(HealthAlerts.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private static final String FIRING = "firing";
  private static final String RESOLVED = "resolved";

  private final ReportStore store;
  private final AlertStore states;
  private final AlertSettings settings;
  private final Clock clock;
  private final HttpClient http;
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
      r -> Thread.ofPlatform().daemon().name("keel-health-alerts").unstarted(r));
  private boolean errorsFiring;
  private boolean latencyFiring;

  private HealthAlerts(ReportStore store, AlertStore states, AlertSettings settings,
      Clock clock) {
    this.store = store;
    this.states = states;
    this.settings = settings;
    this.clock = clock;
    this.http = settings.webhookUrl() == null ? null : HttpClient.newBuilder()
        .connectTimeout(Duration.ofSeconds(5)).build();
  }

  /** Starts the periodic check when a threshold is configured; null otherwise. */
  public static HealthAlerts start(ReportStore store, AlertStore states, AlertSettings settings,
      Clock clock) {
    if (!settings.enabled()) {
      return null;
    }
    var alerts = new HealthAlerts(store, states, settings, clock);
    alerts.timer.scheduleWithFixedDelay(alerts::checkQuietly, settings.checkSeconds(),
        settings.checkSeconds(), TimeUnit.SECONDS);
    log.info("health alerts: error rate above {}, p95 latency above {} ms, over {} s, checked "
        + "every {} s{}", settings.errorRate(), settings.p95LatencyMs(),
        settings.windowSeconds(), settings.checkSeconds(),
        settings.webhookUrl() == null ? "" : ", with a webhook");
    return alerts;
  }

  /** Runs one check now, on the caller's thread; returns what it read. */
  public synchronized CallHealth check() {
    Instant now = clock.instant();
    CallHealth h = store.health(now.minusSeconds(settings.windowSeconds()), now);
    boolean enough = h.calls() >= settings.minCalls();
    Double maxRate = settings.errorRate();
    Long maxP95 = settings.p95LatencyMs();
    errorsFiring = transition(errorsFiring,
        maxRate != null && enough && h.errorRate() > maxRate, "alert.error_rate", h);
    latencyFiring = transition(latencyFiring,
        maxP95 != null && enough && h.p95LatencyMs() > maxP95, "alert.p95_latency", h);
    return h;
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }

  private void checkQuietly() {
    try {
      check();
    } catch (RuntimeException e) {
      log.warn("health alert check failed ({}); it runs again in {} s", e.toString(),
          settings.checkSeconds());
    }
  }

  private boolean transition(boolean was, boolean now, String type, CallHealth h) {
    String state = now ? FIRING : RESOLVED;
    String shared = states.state(type).orElse(RESOLVED);
    if (shared.equals(state)) {
      return now; // this instance, another one or an earlier run already said so
    }
    Instant at = clock.instant();
    if (!states.transition(type, shared, state, at,
        at.minusMillis(settings.checkSeconds() * 500L))) {
      return was; // another instance moved it first, or it changed too recently to move back
    }
    String what = type.equals("alert.error_rate")
        ? String.format(Locale.ROOT, "%.1f%% of %d calls failed (threshold %.1f%%)",
            100 * h.errorRate(), h.calls(), 100 * settings.errorRate())
        : String.format(Locale.ROOT, "p95 latency %d ms over %d calls (threshold %d ms)",
            h.p95LatencyMs(), h.calls(), settings.p95LatencyMs());
    if (now) {
      log.warn("{} firing: {} in the last {} s", type, what, settings.windowSeconds());
    } else {
      log.info("{} resolved: {} in the last {} s", type, what, settings.windowSeconds());
    }
    post(type, state, h);
    return now;
  }

  private void post(String type, String state, CallHealth h) {
    if (http == null) {
      return;
    }
    ObjectNode body = JSON.createObjectNode().put("type", type).put("state", state)
        .put("window_seconds", settings.windowSeconds()).put("calls", h.calls())
        .put("errors", h.errors()).put("error_rate", h.errorRate())
        .put("p95_latency_ms", h.p95LatencyMs()).put("at", clock.instant().toString());
    if (type.equals("alert.error_rate")) {
      body.put("threshold", settings.errorRate());
    } else {
      body.put("threshold", settings.p95LatencyMs());
    }
    HttpRequest req = HttpRequest.newBuilder(URI.create(settings.webhookUrl()))
        .timeout(Duration.ofSeconds(10)).header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build();
    try {
      HttpResponse<Void> r = http.send(req, HttpResponse.BodyHandlers.discarding());
      if (r.statusCode() >= 300) {
        log.warn("alert webhook answered {}; the alert was logged only", r.statusCode());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      log.warn("alert webhook failed ({}); the alert was logged only", e.toString());
    }
  }
}
