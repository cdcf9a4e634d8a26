package dev.keel.store;

import dev.keel.core.trace.Observation;
import dev.keel.core.trace.Trace;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * Everything one ingestion request (or one gateway call) writes, committed in one transaction.
 *
 * <p>Order matters: rows with the same id are merged in list order, so callers put creates
 * before updates. {@code observationUpdates} come from update events: when the observation is
 * not stored yet its row is provisional, and the create that arrives later supplies the fields
 * that are immutable after the first write (trace, start time, type, environment).
 *
 * @param traces trace creates and upserts
 * @param observations observation creates
 * @param observationUpdates observation updates, applied after the creates
 * @param scores score upserts
 * @param finisher applied to every observation row once merged with what was stored (pricing
 *     needs the model of a create and the usage of a later update together); null for none.
 *     When batches share a transaction, each row is finished by its own batch's finisher.
 * @param joining those of {@code traces} (by identity) that join a trace someone else may own:
 *     on a stored trace they only fill the fields that are still empty (name, user, session,
 *     input, output, release, version), add metadata keys that are missing and add tags;
 *     applied after the other traces of the batch. A gateway call is written so: the
 *     application that created the trace owns its fields, and a call that creates the trace
 *     sets them all.
 */
public record TraceBatch(List<Trace> traces, List<Observation> observations,
    List<Observation> observationUpdates, List<Score> scores, Finisher finisher,
    Set<Trace> joining) {

  /** Completes a merged observation row, for example with a computed cost. */
  @FunctionalInterface
  public interface Finisher {
    /**
     * @param merged the row after the merge
     * @param incoming the event merged into it (the very object {@code merged} is for a new
     *     row)
     * @param isNew true when nothing was stored or merged before
     */
    Observation finish(Observation merged, Observation incoming, boolean isNew);
  }

  public TraceBatch(List<Trace> traces, List<Observation> observations,
      List<Observation> observationUpdates, List<Score> scores) {
    this(traces, observations, observationUpdates, scores, null);
  }

  public TraceBatch(List<Trace> traces, List<Observation> observations,
      List<Observation> observationUpdates, List<Score> scores, Finisher finisher) {
    this(traces, observations, observationUpdates, scores, finisher, null);
  }

  public TraceBatch {
    traces = traces == null ? List.of() : List.copyOf(traces);
    observations = observations == null ? List.of() : List.copyOf(observations);
    observationUpdates = observationUpdates == null ? List.of() : List.copyOf(observationUpdates);
    scores = scores == null ? List.of() : List.copyOf(scores);
    joining = identitySet(joining == null ? List.of() : joining);
  }

  /** Creates only: traces and observations. */
  public static TraceBatch of(List<Trace> traces, List<Observation> observations) {
    return new TraceBatch(traces, observations, List.of(), List.of());
  }

  /** One trace that joins: it fills what the stored trace leaves empty (see {@code joining}). */
  public static TraceBatch joining(Trace trace, List<Observation> observations) {
    return new TraceBatch(List.of(trace), observations, List.of(), List.of(), null,
        Set.of(trace));
  }

  /** Whether {@code t}, one of {@link #traces}, only fills empty fields. */
  public boolean joins(Trace t) {
    return joining.contains(t);
  }

  private static Set<Trace> identitySet(Collection<Trace> traces) {
    Set<Trace> s = Collections.newSetFromMap(new IdentityHashMap<>());
    s.addAll(traces);
    return Collections.unmodifiableSet(s);
  }

  public boolean isEmpty() {
    return traces.isEmpty() && observations.isEmpty() && observationUpdates.isEmpty()
        && scores.isEmpty();
  }

  /** Rows in the batch, for counting throughput. */
  public int size() {
    return traces.size() + observations.size() + observationUpdates.size() + scores.size();
  }
}
