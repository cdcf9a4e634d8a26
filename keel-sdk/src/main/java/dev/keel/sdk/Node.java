package dev.keel.sdk;

import java.util.concurrent.Callable;
import java.util.function.Supplier;

/**
 * What traces and observations share: identity, children, the observe helpers and the rule for
 * being the current node of a thread.
 *
 * <p>Concurrency: a node made current at its creation remembers the node it displaced and the
 * thread it did so on. Ending it on that thread restores the nearest displaced node that is
 * still open; ending it elsewhere leaves the creating thread's slot alone, and
 * {@link KeelContext#current()} skips ended nodes when it reads the slot, so no thread keeps
 * nesting under a finished step.
 */
abstract sealed class Node permits Trace, Observation {

  final KeelClient client;
  private final String traceId;
  private final String id;
  private volatile boolean ended;
  private volatile Node displaced;
  private volatile Thread currentOn;

  Node(KeelClient client, String traceId, String id) {
    this.client = client;
    this.traceId = traceId;
    this.id = id;
  }

  public String traceId() {
    return traceId;
  }

  public String id() {
    return id;
  }

  public boolean isEnded() {
    return ended;
  }

  public Observation observation(ObservationType type, String name) {
    Observation child = startDetached(type, name);
    child.becomeCurrent();
    return child;
  }

  public Observation startDetached(ObservationType type, String name) {
    return new Observation(client, trace(), parentObservationId(), type, name);
  }

  public <T> T observe(String name, Supplier<T> work) {
    return Observing.supply(observation(ObservationType.SPAN, name), work);
  }

  public void observe(String name, Runnable work) {
    Observing.run(observation(ObservationType.SPAN, name), work);
  }

  public <T> T observeCall(String name, Callable<T> work) throws Exception {
    return Observing.call(observation(ObservationType.SPAN, name), work);
  }

  /** The trace this node is, or belongs to. */
  abstract Trace trace();

  /** The id children record as their parent: null for a trace. */
  abstract String parentObservationId();

  /** Marks this node ended; true only for the first caller. */
  final boolean markEnded() {
    synchronized (this) {
      if (ended) {
        return false;
      }
      ended = true;
      return true;
    }
  }

  final void becomeCurrent() {
    displaced = KeelContext.CURRENT.get();
    currentOn = Thread.currentThread();
    KeelContext.CURRENT.set(this);
  }

  /** Gives the current slot back when this node holds it on the calling thread. */
  final void leaveCurrent() {
    if (currentOn == Thread.currentThread() && KeelContext.CURRENT.get() == this) {
      KeelContext.CURRENT.set(openDisplaced());
    }
    currentOn = null;
  }

  /** The nearest node this one displaced, directly or through ended ones, that is open. */
  final Node openDisplaced() {
    Node n = displaced;
    while (n != null && n.ended) {
      n = n.displaced;
    }
    return n;
  }
}
