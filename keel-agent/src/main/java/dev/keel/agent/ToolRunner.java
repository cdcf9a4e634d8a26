package dev.keel.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.keel.agent.ToolCallRecord.Outcome;
import dev.keel.sdk.KeelContext;
import dev.keel.sdk.Level;
import dev.keel.sdk.Observation;
import dev.keel.sdk.ObservationType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs one turn's tool calls, all at once on virtual threads, each as a TOOL observation under
 * the run's AGENT observation. Nothing a tool does escapes as an exception: errors, timeouts,
 * bad arguments and denials become results the model reads.
 *
 * <p>Concurrency: each call ends its own observation on its thread; when a call outlives its
 * timeout the waiting thread ends it instead (the SDK sends an observation once, whichever end
 * comes first) and interrupts the tool.
 */
final class ToolRunner {

  private final Map<String, AgentTool> tools;
  private final Set<String> needApproval;
  private final Approval approval;

  ToolRunner(Map<String, AgentTool> tools, Set<String> needApproval, Approval approval) {
    this.tools = tools;
    this.needApproval = needApproval;
    this.approval = approval;
  }

  /** One call the model asked for: its id, tool name and raw argument text. */
  record Call(String id, String name, String argumentsText) {

    JsonNode arguments() {
      JsonNode parsed = AgentJson.parseOrNull(argumentsText);
      return parsed != null ? parsed : TextNode.valueOf(String.valueOf(argumentsText));
    }
  }

  /** Runs every call; waits at most {@code timeout} for each, measured from the start. */
  List<Finished> runAll(List<Call> calls, Observation agent, Duration timeout)
      throws InterruptedException {
    List<Observation> steps = new ArrayList<>();
    List<Future<Finished>> futures = new ArrayList<>();
    long start = System.nanoTime();
    // Not try-with-resources: close() would wait for a tool that ignores its interrupt, and
    // the run's deadline must not depend on a tool's good manners.
    ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
    try {
      for (Call c : calls) {
        Observation step = agent.startDetached(ObservationType.TOOL, c.name());
        step.input(c.arguments());
        steps.add(step);
        futures.add(pool.submit(() -> runOne(c, step)));
      }
      List<Finished> done = new ArrayList<>();
      for (int i = 0; i < calls.size(); i++) {
        long left = timeout.toNanos() - (System.nanoTime() - start);
        done.add(await(futures.get(i), calls.get(i), steps.get(i), left, timeout));
      }
      return done;
    } finally {
      pool.shutdownNow();
    }
  }

  private Finished await(Future<Finished> f, Call c, Observation step, long leftNanos,
      Duration timeout) throws InterruptedException {
    try {
      return f.get(Math.max(0, leftNanos), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      f.cancel(true);
      String message = "error: tool " + c.name() + " timed out after " + timeout.toMillis()
          + " ms";
      end(step, Outcome.TIMEOUT, message, timeout.toMillis());
      return new Finished(c, Outcome.TIMEOUT, message, timeout.toMillis(), step.id());
    } catch (ExecutionException e) {
      String message = "error: " + describe(e.getCause());
      end(step, Outcome.ERROR, message, 0);
      return new Finished(c, Outcome.ERROR, message, 0, step.id());
    }
  }

  private Finished runOne(Call c, Observation step) {
    long start = System.nanoTime();
    Outcome outcome;
    String result;
    try (KeelContext.Scope scope = KeelContext.attach(step)) {
      Object value = invoke(c);
      if (value instanceof Denied d) {
        outcome = Outcome.DENIED;
        result = d.message;
      } else if (value instanceof AgentResult sub && !sub.completed()) {
        outcome = Outcome.ERROR;
        result = "error: " + c.name() + " stopped (" + sub.status() + "): " + sub.reason();
      } else {
        outcome = Outcome.OK;
        result = value instanceof AgentResult sub ? sub.answer() : AgentJson.text(value);
      }
      Finished f = new Finished(c, outcome, result, millisSince(start), step.id(), value);
      end(step, outcome, result, f.durationMs);
      return f;
    } catch (UnknownTool e) {
      return failed(c, step, Outcome.UNKNOWN_TOOL, e.getMessage(), start);
    } catch (ToolArgumentException e) {
      return failed(c, step, Outcome.INVALID_ARGUMENTS, "error: invalid arguments for "
          + c.name() + ": " + e.getMessage(), start);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return failed(c, step, Outcome.TIMEOUT, "error: tool " + c.name() + " was interrupted",
          start);
    } catch (Exception | LinkageError | AssertionError e) {
      return failed(c, step, Outcome.ERROR, "error: " + describe(e), start);
    }
  }

  private Object invoke(Call c) throws Exception {
    AgentTool tool = tools.get(c.name());
    if (tool == null) {
      throw new UnknownTool("error: there is no tool named " + c.name() + "; tools: "
          + tools.keySet());
    }
    JsonNode args = AgentJson.parseOrNull(c.argumentsText());
    if (args == null) {
      throw new ToolArgumentException("arguments are not JSON: "
          + AgentJson.truncate(c.argumentsText()));
    }
    if (needApproval.contains(c.name()) && !approved(c.name(), args)) {
      return new Denied("denied: tool " + c.name() + " needs approval and was not approved;"
          + " do not retry it");
    }
    return tool.invoke(args);
  }

  private boolean approved(String name, JsonNode args) {
    try {
      return approval != null && approval.approve(name, args);
    } catch (RuntimeException e) {
      return false;
    }
  }

  private Finished failed(Call c, Observation step, Outcome outcome, String message,
      long start) {
    Finished f = new Finished(c, outcome, message, millisSince(start), step.id());
    end(step, outcome, message, f.durationMs);
    return f;
  }

  private static void end(Observation step, Outcome outcome, String result, long durationMs) {
    if (step.isEnded()) {
      return;
    }
    step.output(result).metadata(Map.of("outcome", outcome.name(), "duration_ms", durationMs));
    if (outcome != Outcome.OK) {
      step.level(outcome == Outcome.DENIED ? Level.WARNING : Level.ERROR)
          .statusMessage(AgentJson.truncate(result));
    }
    step.end();
  }

  private static String describe(Throwable e) {
    String m = e.getMessage();
    return e.getClass().getSimpleName() + (m == null ? "" : ": " + AgentJson.truncate(m));
  }

  private static long millisSince(long startNanos) {
    return (System.nanoTime() - startNanos) / 1_000_000;
  }

  /**
   * A finished call.
   *
   * @param value what the tool returned (an {@link AgentResult} for a handoff), or null
   */
  record Finished(Call call, Outcome outcome, String result, long durationMs,
      String observationId, Object value) {

    Finished(Call call, Outcome outcome, String result, long durationMs, String observationId) {
      this(call, outcome, result, durationMs, observationId, null);
    }

    ToolCallRecord record() {
      return new ToolCallRecord(call.id(), call.name(), call.arguments(), outcome, result,
          durationMs, observationId);
    }
  }

  private record Denied(String message) {}

  private static final class UnknownTool extends Exception {
    UnknownTool(String message) {
      super(message);
    }
  }
}
