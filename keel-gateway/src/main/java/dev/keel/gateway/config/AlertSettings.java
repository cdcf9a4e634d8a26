package dev.keel.gateway.config;

import java.net.URI;

/**
 * Health alerts on the gateway's calls: the {@code alerts:} section of keel.yaml. Off unless
 * {@code error_rate} or {@code p95_latency_ms} is set.
 *
 * @param errorRate alert when more than this share of calls in the window failed (0 to 1)
 * @param p95LatencyMs alert when the 95th percentile of call durations in the window is above
 *     this many milliseconds
 * @param windowSeconds how far back each check looks (default 300)
 * @param checkSeconds how often the check runs (default 60)
 * @param minCalls fewer calls than this in the window raise nothing (default 10), so one
 *     failed call at night is not a 100% error rate
 * @param webhookUrl where each alert is POSTed as JSON, besides the WARN log line; null logs only
 */
public record AlertSettings(Double errorRate, Long p95LatencyMs, Integer windowSeconds,
    Integer checkSeconds, Integer minCalls, String webhookUrl) {

  public static final AlertSettings DEFAULT = new AlertSettings(null, null, null, null, null,
      null);

  public AlertSettings {
    windowSeconds = windowSeconds == null ? 300 : windowSeconds;
    checkSeconds = checkSeconds == null ? 60 : checkSeconds;
    minCalls = minCalls == null ? 10 : minCalls;
    webhookUrl = webhookUrl == null || webhookUrl.isBlank() ? null : webhookUrl.strip();
    if (errorRate != null && (errorRate <= 0 || errorRate > 1)) {
      throw new IllegalArgumentException("alerts.error_rate must be above 0 and at most 1: "
          + errorRate);
    }
    if (p95LatencyMs != null && p95LatencyMs <= 0) {
      throw new IllegalArgumentException("alerts.p95_latency_ms must be positive: "
          + p95LatencyMs);
    }
    positive("window_seconds", windowSeconds);
    positive("check_seconds", checkSeconds);
    positive("min_calls", minCalls);
    if (webhookUrl != null && !webhookUrl.startsWith("http://")
        && !webhookUrl.startsWith("https://")) {
      throw new IllegalArgumentException("alerts.webhook_url must be an http or https URL: "
          + webhookUrl);
    }
    if (webhookUrl != null) {
      URI.create(webhookUrl);
    }
  }

  /** Whether any threshold is set. */
  public boolean enabled() {
    return errorRate != null || p95LatencyMs != null;
  }

  private static void positive(String key, int value) {
    if (value <= 0) {
      throw new IllegalArgumentException("alerts." + key + " must be positive: " + value);
    }
  }
}
