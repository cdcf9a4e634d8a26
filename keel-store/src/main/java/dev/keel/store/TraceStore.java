package dev.keel.store;

import dev.keel.core.trace.Observation;
import dev.keel.core.trace.Trace;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Traces and observations at rest, with per-trace rollups (cost, latency, counts).
 *
 * <p>Writes are upserts on (project, id): a field given as null keeps the stored value, tags
 * are unioned, metadata deep-merges, anything else is replaced, except the fields that keep
 * their first value (trace timestamp and environment; observation trace, start, environment).
 */
public interface TraceStore {

  /**
   * Writes both lists in one transaction and refreshes the rollups of every trace touched, so
   * writing the same batch twice leaves the same state. Observations may arrive before their
   * trace; the trace's rollups are right once both are stored.
   */
  default void write(List<Trace> traces, List<Observation> observations) {
    write(TraceBatch.of(traces, observations));
  }

  /**
   * Writes a batch in one transaction, merging it into stored rows by Langfuse's rules (absent
   * fields keep their value, metadata deep-merges, tags union, first-write fields stay); see
   * {@link TraceBatch} for updates that arrive before their create.
   */
  void write(TraceBatch batch);

  /**
   * Of the observations {@code ids} of a project, the model calls (GENERATION, EMBEDDING, not
   * at level ERROR, with a model and some input or output) that have neither usage nor cost,
   * or whose usage was estimated: those whose tokens ingestion still has to count.
   */
  default List<Observation> awaitingEstimate(String projectId, Collection<String> ids) {
    throw new UnsupportedOperationException("awaitingEstimate");
  }

  /** Deletes traces by id with their observations and scores; returns how many existed. */
  int delete(String projectId, Collection<String> traceIds);

  /**
   * Deletes, in every project, traces whose timestamp is before {@code cutoff} with their
   * observations and scores, plus older observations and scores whose trace is gone.
   * Returns the number of traces removed.
   */
  long deleteOlderThan(Instant cutoff);

  Optional<TraceSummary> findTrace(String projectId, String traceId);

  /** Observations of a trace, by start time. */
  List<Observation> observationsOf(String projectId, String traceId);

  /** One observation by its id, in any trace of the project. */
  default Optional<Observation> findObservation(String projectId, String observationId) {
    throw new UnsupportedOperationException("findObservation");
  }

  /** Observation ids per trace id, for rendering trace lists; traces without any are absent. */
  Map<String, List<String>> observationIds(String projectId, Collection<String> traceIds);

  /** Traces matching the query, newest first. */
  Page<TraceSummary> listTraces(TraceQuery q);

  /**
   * A page of {@link #listTraces} for browsing (the web UI), bounded in work however many
   * traces match: the total counts at most {@code countCap} of them, so a total of
   * {@code countCap + 1} means "more than countCap"; and when {@code after} is not null the
   * page holds the traces that follow it in the list's order, found by seeking instead of
   * skipping ({@code q.page()} is then only the number shown).
   */
  default Page<TraceSummary> browseTraces(TraceQuery q, TraceCursor after, long countCap) {
    throw new UnsupportedOperationException("browseTraces");
  }

  /** Observations matching the query, latest start first. */
  Page<Observation> listObservations(ObservationQuery q);

  /** Per-day totals, newest day first. */
  List<DailyMetrics> daily(DailyQuery q);
}
