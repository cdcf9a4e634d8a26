package dev.keel.eval.run;

import dev.keel.eval.EvalItem;
import dev.keel.eval.Judge;
import dev.keel.eval.ScoreResult;
import dev.keel.eval.Scorer;
import dev.keel.eval.ScoringContext;
import dev.keel.eval.TaskOutput;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.stream.Collectors;

/**
 * Runs a task over a dataset's items and scores each answer: at most {@code concurrency} items
 * at once, retryable failures retried with exponential backoff, each finished item appended to
 * the results file at once. With {@code resume}, items already in the results file without an
 * error are not run again, so they are not paid for twice. When a Keel is given, every item's
 * run is a trace there (the gateway records it, or the runner records one for tasks that do not
 * go through the gateway) and its determined scores are attached to it.
 *
 * <p>Threads: items run on virtual threads gated by a semaphore; the results appender and the
 * progress display are the only shared state and lock themselves.
 */
public final class EvalRunner {

  private static final long BACKOFF_BASE_MS = 250;
  private static final long BACKOFF_MAX_MS = 8_000;

  private final KeelRecorder keel;
  private final boolean linkDatasetRun;

  /** A runner that records traces and scores in the Keel at {@code keelBaseUrl}, or nowhere. */
  public EvalRunner(java.net.URI keelBaseUrl, String key) {
    this(keelBaseUrl, key, false);
  }

  /**
   * As above; with {@code linkDatasetRun} the items come from a dataset stored in that Keel and
   * each item's trace is also linked to a dataset run named after the run, so Langfuse's
   * dataset-run views and SDKs see it.
   */
  public EvalRunner(java.net.URI keelBaseUrl, String key, boolean linkDatasetRun) {
    this.keel = keelBaseUrl == null ? null : new KeelRecorder(new KeelHttp(keelBaseUrl, key));
    this.linkDatasetRun = linkDatasetRun;
  }

  /**
   * Runs and returns every item's result (with those resumed from the file).
   *
   * @throws IllegalArgumentException when resuming a results file of a run that is not this one
   */
  public RunResults run(RunInfo info, List<EvalItem> items, Task task, List<Scorer> scorers,
      Judge judge, Options options) {
    Map<String, ItemResult> done = new LinkedHashMap<>();
    RunInfo actual = info;
    RunResults.Appender out;
    if (options.resume() && Files.exists(options.resultsFile())) {
      RunResults previous = RunResults.read(options.resultsFile());
      requireSameRun(previous.info(), info, options.resultsFile());
      actual = previous.info();
      previous.byId().values().stream().filter(r -> !r.failed())
          .forEach(r -> done.put(r.id(), r));
      out = RunResults.append(options.resultsFile());
    } else {
      out = RunResults.create(options.resultsFile(), info);
    }
    List<EvalItem> todo = items.stream().filter(i -> !done.containsKey(i.id())).toList();
    Progress progress = new Progress(options.progress(), items.size(), done.size());
    try (out) {
      Map<String, ItemResult> fresh = runAll(actual, todo, task, scorers, judge, options,
          out, progress);
      progress.finish();
      List<ItemResult> all = new ArrayList<>();
      for (EvalItem i : items) {
        ItemResult r = fresh.containsKey(i.id()) ? fresh.get(i.id()) : done.get(i.id());
        all.add(Objects.requireNonNull(r, i.id()));
      }
      return new RunResults(actual, all);
    }
  }

  private Map<String, ItemResult> runAll(RunInfo info, List<EvalItem> todo, Task task,
      List<Scorer> scorers, Judge judge, Options o, RunResults.Appender out, Progress progress) {
    Semaphore slots = new Semaphore(o.concurrency());
    Map<String, Future<ItemResult>> futures = new LinkedHashMap<>();
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      for (EvalItem item : todo) {
        futures.put(item.id(), pool.submit(() -> {
          slots.acquire();
          try {
            ItemResult r = runItem(info, item, task, scorers, judge, o.retries());
            out.add(r);
            progress.done(r.failed());
            return r;
          } finally {
            slots.release();
          }
        }));
      }
      Map<String, ItemResult> results = new LinkedHashMap<>();
      for (Map.Entry<String, Future<ItemResult>> e : futures.entrySet()) {
        results.put(e.getKey(), join(e.getValue()));
      }
      return results;
    }
  }

  private ItemResult runItem(RunInfo info, EvalItem item, Task task, List<Scorer> scorers,
      Judge judge, int retries) throws InterruptedException {
    String traceId = "eval-" + UUID.randomUUID();
    Attempts a = attempt(item, task, traceId, retries);
    TaskOutput output = a.output();
    if (keel != null && output.traceId() == null) {
      keel.recordTrace(info.run(), item, output, traceId);
    }
    String trace = output.traceId() != null ? output.traceId() : keel == null ? null : traceId;
    Map<String, ScoreResult> scores = output.failed() ? Map.of()
        : score(item, output, scorers, judge);
    if (keel != null && trace != null) {
      keel.recordScores(info.run(), trace, scores);
      if (linkDatasetRun) {
        keel.linkDatasetRun(info, item.id(), trace);
      }
    }
    java.math.BigDecimal cost = output.costUsd();
    if (cost == null && keel != null && trace != null && !output.failed()) {
      // An app behind a url task that calls Keel's gateway with the item's trace id is billed
      // on that trace; its cost is the trace's.
      cost = keel.traceCost(trace);
    }
    return new ItemResult(item.id(), trace, output.text(), output.error(), cost,
        output.latencyMs(), a.count(), scores);
  }

  /** Calls the task, retrying what a retry can fix; a failure becomes the output's error. */
  private static Attempts attempt(EvalItem item, Task task, String traceId, int retries)
      throws InterruptedException {
    for (int n = 1; ; n++) {
      try {
        return new Attempts(task.run(item, traceId), n);
      } catch (Task.RetryableException e) {
        if (n > retries) {
          return new Attempts(failed(e.getMessage()), n);
        }
        Thread.sleep(backoff(n, e.retryAfterMs()));
      } catch (RuntimeException e) {
        return new Attempts(failed(e.getMessage() == null ? e.toString() : e.getMessage()), n);
      }
    }
  }

  private static Map<String, ScoreResult> score(EvalItem item, TaskOutput output,
      List<Scorer> scorers, Judge judge) {
    ScoringContext ctx = new ScoringContext(item, output, judge);
    Map<String, ScoreResult> scores = new LinkedHashMap<>();
    for (Scorer s : scorers) {
      ScoreResult r;
      try {
        r = s.score(ctx);
      } catch (RuntimeException e) {
        // A scorer that throws leaves the item undetermined for it, never a fake score.
        r = ScoreResult.undetermined(s.name(), "scorer failed: " + e.getMessage());
      }
      scores.put(s.name(), r);
    }
    return scores;
  }

  private static TaskOutput failed(String reason) {
    return new TaskOutput(null, null, null, null, null, 0, null, reason);
  }

  /** Exponential backoff with jitter; the server's retry-after wins when it is longer. */
  static long backoff(int attempt, long retryAfterMs) {
    long exp = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS << Math.min(attempt - 1, 10));
    long jittered = exp / 2 + (long) (Math.random() * (exp / 2 + 1));
    return Math.max(jittered, Math.min(retryAfterMs, 60_000));
  }

  private static void requireSameRun(RunInfo previous, RunInfo now, Path file) {
    List<String> diffs = new ArrayList<>(previous.incomparable(now));
    // The file may name the judge "(simulated)", learnt from its answers after the start.
    diffs.addAll(previous.withJudge(now.judgeModel()).caveats(now));
    if (!Objects.equals(configured(previous.judgeModel()), now.judgeModel())) {
      diffs.add("judge model differs: " + previous.judgeModel() + " vs " + now.judgeModel());
    }
    if (!Objects.equals(previous.model(), now.model())) {
      diffs.add("model differs: " + previous.model() + " vs " + now.model());
    }
    if (!Objects.equals(previous.promptVersion(), now.promptVersion())) {
      diffs.add("prompt version differs: " + previous.promptVersion() + " vs "
          + now.promptVersion());
    }
    Set<String> names = now.scorers().keySet();
    if (!previous.scorers().keySet().equals(names)) {
      diffs.add("scorers differ: " + previous.scorers().keySet() + " vs " + names);
    }
    if (!diffs.isEmpty()) {
      throw new IllegalArgumentException("cannot resume " + file + ": it holds another run ("
          + diffs.stream().collect(Collectors.joining("; ")) + "); run without --resume");
    }
  }

  private static String configured(String judge) {
    return judge == null ? null : judge.replace(" (simulated)", "");
  }

  private static ItemResult join(Future<ItemResult> f) {
    try {
      return f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
    }
  }

  private record Attempts(TaskOutput output, int count) {}

  /**
   * How to run.
   *
   * @param resultsFile where item results are appended
   * @param resume keep the finished items of an earlier run in {@code resultsFile}
   * @param progress where the progress bar goes (stderr), or null for none
   */
  public record Options(int concurrency, int retries, Path resultsFile, boolean resume,
      PrintStream progress) {
    public Options {
      if (concurrency < 1) {
        throw new IllegalArgumentException("concurrency must be positive: " + concurrency);
      }
      if (retries < 0) {
        throw new IllegalArgumentException("retries must not be negative: " + retries);
      }
      Objects.requireNonNull(resultsFile, "resultsFile");
    }
  }
}
