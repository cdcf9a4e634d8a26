package dev.keel.sdk;

import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

/**
 * A trace or an observation inside one: the place new steps nest under. Carry it to another
 * thread to keep nesting there, or use {@link KeelContext} to have it found as the current one.
 *
 * <p>Children made with {@link #span}, {@link #generation} and the like become the current node
 * of the calling thread until they end, so {@code try (var span = trace.span("retrieve")) {...}}
 * nests whatever runs inside the block. Nothing here throws into the application: bad values are
 * recorded as text or ignored, and export problems are counted in {@link KeelClient#stats()}.
 */
public sealed interface TraceNode extends AutoCloseable permits Trace, Observation {

  /** The id of the trace this node belongs to. */
  String traceId();

  /** This node's own id: the trace id for a trace, the observation id otherwise. */
  String id();

  /** Whether {@link #end()} was called. */
  boolean isEnded();

  /** Starts a child of the given type and makes it current on this thread until it ends. */
  Observation observation(ObservationType type, String name);

  /**
   * Starts a child without making it current, for a step that ends on another thread (a
   * callback, a stream).
   */
  Observation startDetached(ObservationType type, String name);

  /** A SPAN child, current until it ends. */
  default Observation span(String name) {
    return observation(ObservationType.SPAN, name);
  }

  /** A GENERATION child (one model call), current until it ends. */
  default Observation generation(String name) {
    return observation(ObservationType.GENERATION, name);
  }

  /** An AGENT child, current until it ends. */
  default Observation agent(String name) {
    return observation(ObservationType.AGENT, name);
  }

  /** A TOOL child, current until it ends. */
  default Observation tool(String name) {
    return observation(ObservationType.TOOL, name);
  }

  /** A RETRIEVER child, current until it ends. */
  default Observation retriever(String name) {
    return observation(ObservationType.RETRIEVER, name);
  }

  /** A point-in-time EVENT, sent when ended (or closed); never current. */
  default Observation event(String name) {
    return startDetached(ObservationType.EVENT, name);
  }

  /** A point-in-time EVENT with its input, sent at once. */
  default void event(String name, Object input) {
    startDetached(ObservationType.EVENT, name).input(input).end();
  }

  /**
   * Runs {@code work} in a SPAN child, recording its duration and result; an exception is
   * recorded (level ERROR) and rethrown unchanged.
   */
  <T> T observe(String name, Supplier<T> work);

  /** As {@link #observe(String, Supplier)} for work with no result. */
  void observe(String name, Runnable work);

  /** As {@link #observe(String, Supplier)} for work that throws checked exceptions. */
  <T> T observeCall(String name, Callable<T> work) throws Exception;

  /** Sets the input: any value Jackson can turn into JSON (else its text). */
  TraceNode input(Object input);

  /** Sets the output. */
  TraceNode output(Object output);

  /** Adds one metadata entry; entries merge with those set before. */
  TraceNode metadata(String key, Object value);

  /** Adds metadata entries. */
  TraceNode metadata(Map<String, ?> entries);

  /** Attaches a score to this trace or observation, sent at once. */
  TraceNode score(Score score);

  /** Ends this node (records the end time and sends it); later calls do nothing. */
  void end();

  /** Same as {@link #end()}, for try-with-resources. */
  @Override
  default void close() {
    end();
  }
}
