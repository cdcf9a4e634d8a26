package dev.keel.gateway.trace;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keel.core.trace.Level;
import dev.keel.core.trace.Observation;
import dev.keel.core.trace.Trace;
import dev.keel.store.TraceBatch;
import dev.keel.store.TraceWriter;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Turns gateway calls into a trace with one observation each and hands them to the batched
 * writer. Never blocks: when the writer's queue is full the trace is dropped and counted there.
 */
public final class CallRecorder {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final TraceWriter writer;
  private final boolean captureContent;
  private final String release;

  /**
   * @param captureContent keep prompts and completions (else only usage, cost and timing)
   * @param release the release traces ran under ({@code KEEL_RELEASE}), or null
   */
  public CallRecorder(TraceWriter writer, boolean captureContent, String release) {
    this.writer = writer;
    this.captureContent = captureContent;
    this.release = release;
  }

  /** Records a call of one attempt. Returns false when the trace writer dropped it. */
  public boolean record(CallRecord c) {
    return record(c, List.of(c));
  }

  /**
   * Records one client request as a trace whose observations are its upstream attempts, in
   * order; the trace's input and output come from {@code summary}. The trace joins: when it is
   * stored already (an application's trace named in x-keel-trace-id, or an earlier call of a
   * conversation) the call adds its observations and fills only the trace fields still empty,
   * so a trace keeps the name, user, input and output of whoever created it.
   */
  public boolean record(CallRecord summary, List<CallRecord> attempts) {
    var m = summary.meta();
    String input = captureContent ? summary.input() : null;
    String output = captureContent ? summary.output() : null;
    boolean nested = m.parentObservationId() != null;
    // A nested call is a step of a trace someone else owns: it adds its observation and leaves
    // the trace's name, input and output alone (null fields keep what is stored).
    var trace = new Trace(m.traceId(), m.principal().projectId(),
        nested ? null : summary.traceName(), summary.start(), m.userId(), m.sessionId(),
        nested ? null : input, nested ? null : output, traceMetadata(summary), m.tags(),
        release, null, null, false);
    var observations = attempts.stream().map(a -> observation(a, m.principal().projectId()))
        .toList();
    return writer.offer(TraceBatch.joining(trace, observations));
  }

  private Observation observation(CallRecord c, String projectId) {
    return new Observation(UUID.randomUUID().toString(), c.meta().traceId(), projectId,
        c.meta().parentObservationId(),
        c.type(), c.traceName(), c.start(), c.end(), c.completionStart(), c.model(),
        c.modelParameters(), captureContent ? c.input() : null,
        captureContent ? c.output() : null, toJson(c.metadata()), levelOf(c), c.statusMessage(),
        c.usage(), c.cost(), promptName(c), promptVersion(c), null);
  }

  private static String promptName(CallRecord c) {
    var p = c.meta().prompt();
    return p == null || p.version() == null ? null : p.name();
  }

  private static Integer promptVersion(CallRecord c) {
    var p = c.meta().prompt();
    return p == null ? null : p.version();
  }

  private static Level levelOf(CallRecord c) {
    return c.level() == null ? Level.DEFAULT : c.level();
  }

  private static String traceMetadata(CallRecord c) {
    ObjectNode md = JSON.createObjectNode();
    if (c.meta().metadataJson() != null) {
      try {
        md.setAll((ObjectNode) JSON.readTree(c.meta().metadataJson()));
      } catch (JsonProcessingException | ClassCastException e) {
        md.put("metadata_error", "x-keel-metadata was not a JSON object");
      }
    }
    c.meta().principal().traceAttributes().forEach(md::put);
    Object simulated = c.metadata().get("simulated");
    if (Boolean.TRUE.equals(simulated)) {
      md.put("simulated", true);
    }
    if (c.cost() == null && c.type() != null && !c.usage().isEmpty()) {
      md.put("cost_incomplete", true);
    }
    return md.isEmpty() ? null : md.toString();
  }

  private static String toJson(Map<String, Object> map) {
    if (map == null || map.isEmpty()) {
      return null;
    }
    try {
      return JSON.writeValueAsString(map);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("metadata not serializable: " + map.keySet(), e);
    }
  }

  /** A fresh trace id when the client named none. */
  public static String newTraceId() {
    return UUID.randomUUID().toString();
  }
}
