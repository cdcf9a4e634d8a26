package dev.keel.store;

import dev.keel.core.trace.Level;
import dev.keel.core.trace.Observation;
import dev.keel.core.trace.Trace;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Langfuse's merge rules, applied in memory to the stored rows and a batch before one upsert:
 * an absent field keeps its value, metadata deep-merges, tags union, and the fields that are
 * immutable after the first write (trace timestamp and environment; observation trace, start
 * time and environment) keep the first value. An observation first seen in an update event is
 * provisional until its create arrives, which then supplies those fields while the values the
 * update set stay on top. A trace that joins (a gateway call's) fills only what is still empty.
 */
final class RowMerges {

  private RowMerges() {
  }

  /** A merged observation row and whether only updates have been seen for it. */
  record ObservationRow(Observation observation, boolean provisional) {
  }

  /**
   * Traces after the batch, keyed and sorted by (project, id). The traces that join
   * ({@link TraceBatch#joins}) come after the others, so the result does not depend on how
   * joining and owning writes of one trace were ordered in the batch.
   */
  static Collection<Trace> traces(Map<String, Trace> stored, TraceBatch batch) {
    Map<String, Trace> out = new TreeMap<>();
    for (boolean joins : new boolean[] {false, true}) {
      for (Trace t : batch.traces()) {
        if (batch.joins(t) != joins) {
          continue;
        }
        String key = key(t.projectId(), t.id());
        Trace base = out.containsKey(key) ? out.get(key) : stored.get(key);
        out.put(key, base == null ? t : joins ? fill(base, t) : merge(base, t));
      }
    }
    return out.values();
  }

  /**
   * Observation rows after the batch, sorted by (project, id); {@code movedFrom} collects the
   * (project, trace) keys a row left, whose rollups must be refreshed too.
   */
  static Collection<ObservationRow> observations(Map<String, ObservationRow> stored,
      List<Observation> creates, List<Observation> updates, Set<String> movedFrom,
      TraceBatch.Finisher finisher) {
    Map<String, ObservationRow> out = new TreeMap<>();
    for (Observation o : creates) {
      String key = key(o.projectId(), o.id());
      ObservationRow base = out.containsKey(key) ? out.get(key) : stored.get(key);
      ObservationRow row;
      if (base == null) {
        row = new ObservationRow(o, false);
      } else if (base.provisional()) {
        row = new ObservationRow(merge(o, base.observation(), true), false);
      } else {
        row = new ObservationRow(merge(base.observation(), o, false), false);
      }
      noteMove(base, row, movedFrom);
      out.put(key, finish(finisher, row, o, base == null));
    }
    for (Observation o : updates) {
      String key = key(o.projectId(), o.id());
      ObservationRow base = out.containsKey(key) ? out.get(key) : stored.get(key);
      ObservationRow row = base == null ? new ObservationRow(o, true)
          : new ObservationRow(merge(base.observation(), o, true), base.provisional());
      out.put(key, finish(finisher, row, o, base == null));
    }
    return out.values();
  }

  private static ObservationRow finish(TraceBatch.Finisher finisher, ObservationRow row,
      Observation incoming, boolean isNew) {
    return finisher == null ? row : new ObservationRow(
        finisher.finish(row.observation(), incoming, isNew), row.provisional());
  }

  static String key(String projectId, String id) {
    return projectId + '\n' + id;
  }

  private static void noteMove(ObservationRow base, ObservationRow row, Set<String> movedFrom) {
    if (base != null && !base.observation().traceId().equals(row.observation().traceId())) {
      movedFrom.add(key(base.observation().projectId(), base.observation().traceId()));
    }
  }

  private static Trace merge(Trace old, Trace t) {
    var tags = new LinkedHashSet<>(old.tags());
    tags.addAll(t.tags());
    return new Trace(old.id(), old.projectId(), or(t.name(), old.name()), old.timestamp(),
        or(t.userId(), old.userId()), or(t.sessionId(), old.sessionId()),
        value(old.input(), t.input()), value(old.output(), t.output()),
        JsonMerge.merge(old.metadata(), t.metadata()), new ArrayList<>(tags),
        or(t.release(), old.release()), or(t.version(), old.version()), old.environment(),
        t.isPublic() || old.isPublic());
  }

  /**
   * {@code old} with only its empty fields taken from {@code t}: metadata keys {@code old}
   * lacks are added, tags are added, nothing {@code old} has is changed.
   */
  private static Trace fill(Trace old, Trace t) {
    var tags = new LinkedHashSet<>(old.tags());
    tags.addAll(t.tags());
    return new Trace(old.id(), old.projectId(), or(old.name(), t.name()), old.timestamp(),
        or(old.userId(), t.userId()), or(old.sessionId(), t.sessionId()),
        or(old.input(), t.input()), or(old.output(), t.output()),
        JsonMerge.merge(t.metadata(), old.metadata()), new ArrayList<>(tags),
        or(old.release(), t.release()), or(old.version(), t.version()), old.environment(),
        old.isPublic());
  }

  /**
   * {@code next} on top of {@code base}; {@code base} keeps its trace, start time and
   * environment, and its type too when {@code next} is an update event. A DEFAULT level is
   * what an absent level reads as, so it does not lower a level set before.
   */
  private static Observation merge(Observation base, Observation next, boolean update) {
    return new Observation(base.id(), base.traceId(), base.projectId(),
        or(next.parentObservationId(), base.parentObservationId()),
        update ? base.type() : next.type(), or(next.name(), base.name()), base.startTime(),
        or(next.endTime(), base.endTime()),
        or(next.completionStartTime(), base.completionStartTime()),
        or(next.model(), base.model()),
        value(base.modelParameters(), next.modelParameters()),
        value(base.input(), next.input()), value(base.output(), next.output()),
        JsonMerge.merge(base.metadata(), next.metadata()),
        next.level() == Level.DEFAULT ? base.level() : next.level(),
        or(next.statusMessage(), base.statusMessage()),
        next.usage().isEmpty() ? base.usage() : next.usage(), or(next.cost(), base.cost()),
        or(next.promptName(), base.promptName()), or(next.promptVersion(), base.promptVersion()),
        base.environment());
  }

  // An empty object does not overwrite a stored value (Langfuse's rule).
  private static String value(String base, String next) {
    if (next == null || (base != null && next.equals("{}"))) {
      return base;
    }
    return next;
  }

  private static <T> T or(T value, T fallback) {
    return value != null ? value : fallback;
  }

  /** The (project, id) keys of traces, for rollups; sorted so locks are taken in order. */
  static Map<String, List<String>> byProject(Collection<String> keys) {
    var grouped = new TreeMap<String, TreeSet<String>>();
    for (String k : keys) {
      int nl = k.indexOf('\n');
      grouped.computeIfAbsent(k.substring(0, nl), p -> new TreeSet<>()).add(k.substring(nl + 1));
    }
    var out = new TreeMap<String, List<String>>();
    grouped.forEach((p, ids) -> out.put(p, new ArrayList<>(ids)));
    return out;
  }
}
