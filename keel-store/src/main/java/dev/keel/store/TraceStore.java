package dev.keel.store;

import dev.keel.core.trace.Observation;
import dev.keel.core.trace.Trace;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Traces and observations at rest, with per-trace rollups (cost, latency, counts).
 *
 * <p>Writes are upserts on (project, id): a field given as null keeps the stored value, tags
 * are unioned, anything else is replaced. Deep merge of metadata is the caller's job.
 */
public interface TraceStore {

  /**
   * Writes both lists in one transaction and refreshes the rollups of every trace touched, so
   * writing the same batch twice leaves the same state. Observations may arrive before their
   * trace; the trace's rollups are right once both are stored.
   */
  void write(List<Trace> traces, List<Observation> observations);

  Optional<TraceSummary> findTrace(String projectId, String traceId);

  /** Observations of a trace, by start time. */
  List<Observation> observationsOf(String projectId, String traceId);

  /** Observation ids per trace id, for rendering trace lists; traces without any are absent. */
  Map<String, List<String>> observationIds(String projectId, Collection<String> traceIds);

  /** Traces matching the query, newest first. */
  Page<TraceSummary> listTraces(TraceQuery q);

  /** Observations matching the query, latest start first. */
  Page<Observation> listObservations(ObservationQuery q);

  /** Per-day totals, newest day first. */
  List<DailyMetrics> daily(DailyQuery q);
}
