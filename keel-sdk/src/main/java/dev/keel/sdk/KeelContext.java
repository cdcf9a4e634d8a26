package dev.keel.sdk;

import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;

/**
 * The current trace or observation of each thread, and ways to carry it to other threads.
 *
 * <p>A node becomes current when it is created (until it ends) or when {@link #attach attached}.
 * Work handed to another thread loses it unless carried: pass the node itself and create
 * children on it, wrap the task with {@link #wrap(Runnable)}, or submit through
 * {@link #wrap(ExecutorService)}, which carries the submitter's node into every task.
 */
public final class KeelContext {

  static final ThreadLocal<Node> CURRENT = new ThreadLocal<>();

  private KeelContext() {
  }

  /** A scope that restores the previous current node when closed; close it on its thread. */
  public interface Scope extends AutoCloseable {
    @Override
    void close();
  }

  /** The calling thread's current trace or observation, if one is open. */
  public static Optional<TraceNode> current() {
    return Optional.ofNullable(currentNode()).map(KeelContext::asPublic);
  }

  /** Makes {@code node} current on this thread until the scope closes. */
  public static Scope attach(TraceNode node) {
    Node previous = CURRENT.get();
    CURRENT.set(node == null ? null : (Node) node);
    return () -> CURRENT.set(previous);
  }

  /** {@code task} running with the caller's current node, whichever thread runs it. */
  public static Runnable wrap(Runnable task) {
    Node captured = currentNode();
    return () -> {
      Node previous = CURRENT.get();
      CURRENT.set(captured);
      try {
        task.run();
      } finally {
        CURRENT.set(previous);
      }
    };
  }

  /** {@code task} running with the caller's current node, whichever thread runs it. */
  public static <T> Callable<T> wrap(Callable<T> task) {
    Node captured = currentNode();
    return () -> {
      Node previous = CURRENT.get();
      CURRENT.set(captured);
      try {
        return task.call();
      } finally {
        CURRENT.set(previous);
      }
    };
  }

  /** An executor whose tasks run with the node current where they were submitted. */
  public static Executor wrap(Executor executor) {
    return task -> executor.execute(wrap(task));
  }

  /** An executor service whose tasks run with the node current where they were submitted. */
  public static ExecutorService wrap(ExecutorService executor) {
    return new ContextExecutorService(executor);
  }

  /** The current node, skipping (and forgetting) ended ones. */
  static Node currentNode() {
    Node n = CURRENT.get();
    if (n != null && n.isEnded()) {
      n = n.openDisplaced();
      CURRENT.set(n);
    }
    return n;
  }

  private static TraceNode asPublic(Node node) {
    return (TraceNode) node;
  }
}
