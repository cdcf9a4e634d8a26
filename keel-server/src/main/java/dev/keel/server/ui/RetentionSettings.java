package dev.keel.server.ui;

import dev.keel.store.SettingStore;
import java.time.Clock;
import java.util.Optional;

/**
 * Settings → Retention: how many days traces are kept. A value set here is stored and wins over
 * keel.yaml's retention.days; the hourly retention job reads it at its next run.
 */
final class RetentionSettings {

  static final int MAX_DAYS = 36_500;

  private final SettingStore settings;
  private final Integer configured;
  private final Clock clock;

  RetentionSettings(SettingStore settings, Integer configured, Clock clock) {
    this.settings = settings;
    this.configured = configured;
    this.clock = clock;
  }

  void register(UiRoutes.Router r) {
    r.adminAction("/ui/settings/retention", (q, s) -> {
      String days = days(q.param("days"));
      settings.put(SettingStore.RETENTION_DAYS, days, s.who(), clock.instant());
      return "/ui/settings#retention";
    });
  }

  void render(StringBuilder b, UiSession s) {
    Optional<Integer> days = settings.retentionDays(configured);
    boolean setHere = settings.get(SettingStore.RETENTION_DAYS).isPresent();
    b.append("<h2 id=\"retention\">Retention</h2><p id=\"retention-now\">")
        .append(days.map(d -> "Traces older than <b>" + d + " days</b> are deleted, with"
            + " their observations and scores (checked every hour).")
            .orElse("Traces are <b>kept forever</b>."))
        .append(" <span class=\"muted\">Source: ").append(setHere ? "set in Settings"
            : configured != null ? "keel.yaml retention.days" : "default").append(".</span>")
        .append("</p>");
    if (s.isAdmin()) {
      b.append("<form class=\"filters\" method=\"post\" action=\"/ui/settings/retention\""
          + " id=\"retention-form\">").append(Html.csrf(s))
          .append("<label>Days to keep (empty: forever)<input name=\"days\""
              + " inputmode=\"numeric\" value=\"").append(days.map(String::valueOf).orElse(""))
          .append("\"></label><button type=\"submit\">Save retention</button></form>");
    }
  }

  /** The stored form of the days field: a whole number of days, or "off" when empty. */
  private static String days(String v) {
    if (v == null) {
      return SettingStore.RETENTION_OFF;
    }
    try {
      int d = Integer.parseInt(v);
      if (d >= 1 && d <= MAX_DAYS) {
        return String.valueOf(d);
      }
    } catch (NumberFormatException e) {
      // Reported below, as a number out of range is.
    }
    throw new IllegalArgumentException("days must be a whole number from 1 to " + MAX_DAYS
        + ", or empty to keep traces forever: " + v);
  }
}
