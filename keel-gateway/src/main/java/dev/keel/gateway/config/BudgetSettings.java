package dev.keel.gateway.config;

import java.time.DateTimeException;
import java.time.ZoneId;

/**
 * The {@code budgets:} section of keel.yaml.
 *
 * @param timeZone where daily, weekly and monthly budgets start again (default UTC)
 * @param alertWebhookUrl where soft-limit and limit-reached alerts are POSTed as JSON, besides
 *     the WARN log line; null (the default) only logs
 * @param flushMillis how often settled spend is written to the store (default 1000)
 * @param refreshSeconds how often an instance re-reads budgets changed by other instances
 *     (default 5; changes made through this instance apply at once)
 */
public record BudgetSettings(String timeZone, String alertWebhookUrl, Integer flushMillis,
    Integer refreshSeconds) {

  public static final BudgetSettings DEFAULT = new BudgetSettings(null, null, null, null);

  public BudgetSettings {
    timeZone = timeZone == null ? "UTC" : timeZone.strip();
    try {
      ZoneId.of(timeZone);
    } catch (DateTimeException e) {
      throw new IllegalArgumentException("budgets.time_zone is not a known time zone (use a "
          + "name like Europe/Paris or UTC): " + timeZone, e);
    }
    if (alertWebhookUrl != null && !alertWebhookUrl.startsWith("http://")
        && !alertWebhookUrl.startsWith("https://")) {
      throw new IllegalArgumentException("budgets.alert_webhook_url must be an http(s) URL: "
          + alertWebhookUrl);
    }
    flushMillis = flushMillis == null ? 1000 : flushMillis;
    refreshSeconds = refreshSeconds == null ? 5 : refreshSeconds;
    if (flushMillis <= 0) {
      throw new IllegalArgumentException("budgets.flush_millis must be positive: "
          + flushMillis);
    }
    if (refreshSeconds <= 0) {
      throw new IllegalArgumentException("budgets.refresh_seconds must be positive: "
          + refreshSeconds);
    }
  }

  public ZoneId zone() {
    return ZoneId.of(timeZone);
  }
}
