package dev.keel.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Settings changed at run time (the web UI's Settings page): named values and model prices. */
public interface SettingStore {

  /** The name of the retention setting: days to keep traces, or "off" to keep them forever. */
  String RETENTION_DAYS = "retention.days";

  /** What {@link #RETENTION_DAYS} holds to keep traces forever, whatever keel.yaml says. */
  String RETENTION_OFF = "off";

  /** A setting's value, if it was ever set. */
  Optional<String> get(String name);

  /** Sets (or replaces) a setting. */
  void put(String name, String value, String updatedBy, Instant at);

  /**
   * Days to keep traces: the run-time setting once one is made ({@link #RETENTION_OFF}: keep
   * forever), else {@code configured} (keel.yaml's retention.days; null keeps forever).
   */
  default Optional<Integer> retentionDays(Integer configured) {
    Optional<String> set = get(RETENTION_DAYS);
    if (set.isEmpty()) {
      return Optional.ofNullable(configured);
    }
    return RETENTION_OFF.equals(set.get()) ? Optional.empty()
        : Optional.of(Integer.parseInt(set.get()));
  }

  /** Every model price set at run time, by model name. */
  List<PriceOverride> prices();

  /** Adds or replaces the run-time price of {@code p.model()}. */
  void putPrice(PriceOverride p);

  /** Removes a run-time price, so the table's applies again; false when there was none. */
  boolean deletePrice(String model);
}
