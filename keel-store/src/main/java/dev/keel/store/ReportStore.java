package dev.keel.store;

import java.time.Instant;
import java.util.List;

/** Aggregates over stored observations for reports. */
public interface ReportStore {

  /** Per version of prompt {@code name}, for generations that started in [from, to). */
  List<PromptVersionStats> promptVersions(String projectId, String name, Instant from,
      Instant to);

  /**
   * Spend of the generations that started in [from, to), per group and model. Rows with a null
   * group are generations without one (no key, no prompt).
   */
  List<CostRow> costs(String projectId, CostGroupBy by, Instant from, Instant to);

  /** Errors and latency of generations that started in [from, to), across every project. */
  CallHealth health(Instant from, Instant to);
}
