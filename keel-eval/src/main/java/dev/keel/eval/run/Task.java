package dev.keel.eval.run;

import dev.keel.eval.EvalItem;
import dev.keel.eval.TaskOutput;

/**
 * What an evaluation runs on each item. Keel's own tasks call the gateway or the user's HTTP
 * endpoint; in a JUnit test a Java function can be the task. Implementations are thread-safe:
 * the runner calls them from several threads at once.
 */
@FunctionalInterface
public interface Task {

  /**
   * Answers one item. A task that calls Keel's gateway sends {@code traceId} as
   * {@code x-keel-trace-id} and returns it; a task that leaves {@link TaskOutput#traceId()} null
   * gets a trace recorded for it by the runner under that id, so every item's run is a trace.
   * Throw {@link RetryableException} for a failure that another attempt may fix.
   */
  TaskOutput run(EvalItem item, String traceId);

  /** A failure worth another attempt (rate limit, server error, timeout). */
  final class RetryableException extends RuntimeException {
    /** Set when the server said how long to wait, in milliseconds, else 0. */
    private final long retryAfterMs;

    public RetryableException(String message, long retryAfterMs) {
      super(message);
      this.retryAfterMs = retryAfterMs;
    }

    public long retryAfterMs() {
      return retryAfterMs;
    }
  }
}
