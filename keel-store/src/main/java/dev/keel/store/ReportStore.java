package dev.keel.store;

import java.time.Instant;
import java.util.List;

/**
 * Aggregates over stored observations for reports. Costs, call statistics and daily metrics
 * are read from hourly rollups that writes and deletes mark for recomputation, so they equal
 * what the raw rows give for any range.
 */
public interface ReportStore {

  /** Per version of prompt {@code name}, for generations that started in [from, to). */
  List<PromptVersionStats> promptVersions(String projectId, String name, Instant from,
      Instant to);

  /**
   * Spend of the generations that started in [from, to), per group and model. Rows with a null
   * group are generations without one (no key, no prompt).
   */
  List<CostRow> costs(String projectId, CostGroupBy by, Instant from, Instant to);

  /** Generations that started in [from, to), per model and prompt version, with latency. */
  List<CallStats> calls(String projectId, Instant from, Instant to);

  /**
   * Per-day totals of traces by their timestamp, newest day first, as
   * {@link TraceStore#daily} gives them. Only the project, user and time filters apply here:
   * a trace name or tags is an error (use {@link TraceStore#daily} for those).
   */
  List<DailyMetrics> daily(DailyQuery q);

  /** Errors and latency of generations that started in [from, to), across every project. */
  CallHealth health(Instant from, Instant to);
}
