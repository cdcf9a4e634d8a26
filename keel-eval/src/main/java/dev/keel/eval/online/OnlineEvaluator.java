package dev.keel.eval.online;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keel.core.trace.Observation;
import dev.keel.core.trace.Trace;
import dev.keel.eval.Judge;
import dev.keel.eval.ScoreResult;
import dev.keel.eval.Scorer;
import dev.keel.eval.ScoringContext;
import dev.keel.eval.dataset.ItemHash;
import dev.keel.store.OnlineEvalStore;
import dev.keel.store.Score;
import dev.keel.store.Store;
import dev.keel.store.TraceBatch;
import dev.keel.store.TraceSummary;
import dev.keel.store.TraceWriter;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scores a sample of live traces with the enabled {@link OnlineRule}s, off the request path.
 *
 * <p>Flow: the trace writer tells {@link #committed} about each committed batch (gateway calls,
 * Langfuse and OTLP ingestion alike). That only notes the trace ids with the time they were
 * last touched in a bounded map of pending traces; when the map is full the trace is skipped
 * and counted ({@code reason="queue_full"}), so neither the writer nor a request ever waits.
 * A ticker thread hands traces whose quietest rule delay has passed to a small worker pool,
 * only while its queue has room (the pending map is the back-pressure). A worker reads the
 * trace and its observations from the store, and for each rule whose filter matches, whose
 * sample (a hash of rule and trace id, so a re-delivered trace gets the same answer) takes it,
 * and whose delay has passed since the trace's last update, runs the rule's scorers once:
 * determined scores are stored on the trace (source EVAL, metadata naming rule and scorer
 * version), and every outcome, failures with their reason, is recorded per rule, trace and
 * scorer, which is also what keeps a trace from being judged twice.
 *
 * <p>Judge calls go through Keel's gateway (see {@link JudgeClient}) and are traces of their
 * own, tagged {@value #JUDGE_TAG}; traces with that tag are never evaluated, so judging cannot
 * recurse. Each call first asks the rule's {@link DailyCap}, then its {@link JudgeBreaker}
 * (which pauses judging after failures in a row); past the cap or while paused the judge
 * refuses and the scorer's outcome is recorded as skipped.
 */
public final class OnlineEvaluator implements TraceWriter.CommitListener, AutoCloseable {

  /** The tag of judge calls made by online evaluation; such traces are never evaluated. */
  public static final String JUDGE_TAG = "keel-online-eval";
  private static final Logger LOG = LoggerFactory.getLogger(OnlineEvaluator.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long TICK_MILLIS = 200;
  /** The ticker's pause while due traces wait for room in the workers' queue. */
  private static final long BUSY_TICK_MILLIS = 10;

  private final Store store;
  private final String projectId;
  private final JudgeClient judges;
  private final Clock clock;
  private final int capacity;
  private final Map<String, Pending> pending = new ConcurrentHashMap<>();
  private final ThreadPoolExecutor workers;
  private final Thread ticker;
  private final OnlineStats stats = new OnlineStats(pending::size);
  /** By rule name; kept across reloads, so a change to one rule does not resume another. */
  private final Map<String, JudgeBreaker> breakers = new ConcurrentHashMap<>();
  private volatile List<Active> active = List.of();
  private volatile boolean closed;

  /**
   * Starts the ticker and workers; rules are read from the store by {@link #reload}.
   *
   * @param queueCapacity traces that may wait at once
   * @param concurrency traces scored at once
   */
  public OnlineEvaluator(Store store, String projectId, JudgeClient judges, Clock clock,
      int queueCapacity, int concurrency) {
    if (queueCapacity <= 0) {
      throw new IllegalArgumentException("queueCapacity must be positive: " + queueCapacity);
    }
    if (concurrency <= 0) {
      throw new IllegalArgumentException("concurrency must be positive: " + concurrency);
    }
    this.store = store;
    this.projectId = projectId;
    this.judges = judges;
    this.clock = clock;
    this.capacity = queueCapacity;
    this.workers = new ThreadPoolExecutor(concurrency, concurrency, 60, TimeUnit.SECONDS,
        new ArrayBlockingQueue<>(concurrency * 16), Thread.ofPlatform().daemon()
            .name("keel-online-eval-", 0).factory());
    this.ticker = Thread.ofPlatform().daemon().name("keel-online-eval-ticker")
        .start(this::tick);
  }

  /** Reads the rules from the store again; a stored rule that no longer parses is skipped. */
  public void reload() {
    var next = new ArrayList<Active>();
    for (OnlineEvalStore.RuleRow row : store.onlineEval().rules(projectId)) {
      if (!row.enabled()) {
        continue;
      }
      try {
        OnlineRule r = OnlineRule.parse(JSON.readTree(row.definition()), "");
        next.add(new Active(r, r.buildScorers(), new DailyCap(store.onlineEval(), projectId,
            r.name(), r.maxDailyCostUsd(), stats), breakers.computeIfAbsent(r.name(),
                n -> new JudgeBreaker(n, stats, clock))));
      } catch (Exception e) {
        LOG.warn("online eval rule {} is stored but cannot be used ({}); fix it with PUT "
            + "/api/keel/online-eval/rules/{}", row.name(), e.getMessage(), row.name());
      }
    }
    breakers.keySet().retainAll(next.stream().map(a -> a.rule().name()).toList());
    active = List.copyOf(next);
  }

  /**
   * Throws {@link IllegalArgumentException} naming {@code model} when the gateway cannot route
   * it, so a rule never waits for traces to find out that its judge does not exist.
   */
  public void checkJudge(String model) {
    judges.check(model);
  }

  /** Forgets rule {@code name}'s judge failures, resuming judging paused by them. */
  public void resume(String name) {
    JudgeBreaker b = breakers.get(name);
    if (b != null) {
      b.reset();
    }
  }

  /** Rule {@code name}'s judge health (healthy when the rule is not loaded). */
  public JudgeHealth judgeHealth(String name) {
    JudgeBreaker b = breakers.get(name);
    return b == null ? JudgeHealth.HEALTHY : b.health();
  }

  @Override
  public void committed(TraceBatch batch) {
    if (active.isEmpty() || closed) {
      return;
    }
    long now = clock.millis();
    long due = now + active.stream().mapToLong(a -> a.rule().delaySeconds()).min().orElse(0)
        * 1000;
    Set<String> judgeTraces = new HashSet<>();
    Set<String> touched = new java.util.LinkedHashSet<>();
    for (Trace t : batch.traces()) {
      if (t.tags() != null && t.tags().contains(JUDGE_TAG)) {
        judgeTraces.add(t.id());
      } else if (projectId.equals(t.projectId())) {
        touched.add(t.id());
      }
    }
    for (List<Observation> list : List.of(batch.observations(), batch.observationUpdates())) {
      for (Observation o : list) {
        if (o.traceId() != null && projectId.equals(o.projectId())) {
          touched.add(o.traceId());
        }
      }
    }
    touched.removeAll(judgeTraces);
    touched.forEach(id -> touch(id, now, due));
  }

  /** Prometheus text of the online evaluation counters. */
  public String metrics() {
    return stats.render();
  }

  /** Traces waiting for their delay. */
  public int pending() {
    return pending.size();
  }

  @Override
  public void close() {
    closed = true;
    ticker.interrupt();
    workers.shutdownNow();
    try {
      workers.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void touch(String traceId, long now, long due) {
    Pending fresh = new Pending(traceId, now, due);
    if (pending.replace(traceId, fresh) != null) {
      return;
    }
    if (pending.size() >= capacity) {
      stats.inc(OnlineStats.SKIPPED, "reason", "queue_full");
      return;
    }
    pending.put(traceId, fresh);
  }

  private void tick() {
    boolean busy = false;
    while (!closed) {
      try {
        Thread.sleep(busy ? BUSY_TICK_MILLIS : TICK_MILLIS);
      } catch (InterruptedException e) {
        return;
      }
      try {
        busy = dispatch();
      } catch (RuntimeException e) {
        LOG.error("online evaluation dispatch failed: {}", e.toString(), e);
      }
    }
  }

  /** Hands due traces to the workers; true when some are left for want of room. */
  private boolean dispatch() {
    List<Active> rules = active;
    if (rules.isEmpty()) {
      pending.clear();
      return false;
    }
    long now = clock.millis();
    for (Pending p : pending.values()) {
      if (p.dueMillis() > now) {
        continue;
      }
      if (workers.getQueue().remainingCapacity() == 0) {
        return true;
      }
      if (pending.remove(p.traceId(), p)) {
        workers.execute(() -> evaluate(p, rules));
      }
    }
    return false;
  }

  private void evaluate(Pending p, List<Active> rules) {
    try {
      Optional<TraceSummary> found = store.traces().findTrace(projectId, p.traceId());
      if (found.isEmpty() || found.get().trace().tags().contains(JUDGE_TAG)) {
        return;
      }
      TraceSummary s = found.get();
      List<Observation> obs = store.traces().observationsOf(projectId, p.traceId());
      long later = Long.MAX_VALUE;
      for (Active a : rules) {
        OnlineRule r = a.rule();
        if (!r.filter().matches(s.trace(), obs)
            || !Sampling.sampled(r.name(), p.traceId(), r.sampleRate())) {
          continue;
        }
        long due = p.touchedMillis() + r.delaySeconds() * 1000L;
        if (due > clock.millis()) {
          later = Math.min(later, due);
        } else if (!store.onlineEval().evaluated(projectId, r.name(), p.traceId())) {
          stats.inc(OnlineStats.SAMPLED, "rule", r.name());
          score(a, s, obs);
        }
      }
      if (later != Long.MAX_VALUE) {
        // A rule with a longer delay still waits; a newer touch, if any, wins.
        pending.putIfAbsent(p.traceId(), new Pending(p.traceId(), p.touchedMillis(), later));
      }
    } catch (RuntimeException e) {
      LOG.error("online evaluation of trace {} failed: {}", p.traceId(), e.toString(), e);
    }
  }

  private void score(Active a, TraceSummary s, List<Observation> obs) {
    OnlineRule r = a.rule();
    LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
    var meter = new AtomicReference<BigDecimal>(BigDecimal.ZERO);
    GuardedJudge judge = r.judgeModel() == null ? null : new GuardedJudge(judges.judge(
        r.judgeModel(), r.name(), s.trace().id(), usd -> {
          a.cap().add(today, usd);
          if (usd != null) {
            meter.accumulateAndGet(usd, BigDecimal::add);
          }
        }), a.cap(), a.breaker(), today);
    var ctx = new ScoringContext(TraceItem.item(s, obs), TraceItem.output(s, obs), judge);
    var scores = new ArrayList<Score>();
    var results = new ArrayList<OnlineEvalStore.Result>();
    for (Scorer scorer : a.scorers()) {
      BigDecimal before = meter.get();
      if (judge != null) {
        judge.nextScorer();
      }
      ScoreResult res = run(scorer, ctx);
      long costPico = meter.get().subtract(before).movePointRight(12).longValue();
      String status;
      String scoreId = null;
      if (res.determined()) {
        status = "scored";
        scoreId = scoreId(r.name(), s.trace().id(), res.name());
        scores.add(score(scoreId, r, scorer, res, s.trace(), judge));
        stats.inc(OnlineStats.SCORED, "rule", r.name(), "score", res.name());
      } else if (judge != null && judge.refused.get() != null) {
        status = "skipped";
        stats.inc(OnlineStats.SKIPPED, "reason", judge.refused.get(), "rule", r.name());
      } else {
        status = "undetermined";
        stats.inc(OnlineStats.FAILED, "rule", r.name(), "score", res.name());
      }
      results.add(new OnlineEvalStore.Result(projectId, r.name(), s.trace().id(), res.name(),
          status, res.determined() ? res.value() : null, res.reason(), scoreId, costPico,
          clock.instant()));
    }
    if (!scores.isEmpty()) {
      store.scores().write(scores);
    }
    store.onlineEval().writeResults(results);
  }

  private static ScoreResult run(Scorer scorer, ScoringContext ctx) {
    try {
      return scorer.score(ctx);
    } catch (RuntimeException e) {
      // A scorer's bug is this item's undetermined score, not a lost evaluation.
      return ScoreResult.undetermined(scorer.name(), "scorer failed: " + e);
    }
  }

  private Score score(String id, OnlineRule r, Scorer scorer, ScoreResult res, Trace t,
      GuardedJudge judge) {
    ObjectNode meta = JSON.createObjectNode().put("online_eval_rule", r.name())
        .put("scorer", scorer.name()).put("scorer_version", scorer.version());
    if (judge != null) {
      meta.put("judge_model", judge.model());
    }
    if (res.label() != null) {
      meta.put("label", res.label());
    }
    return new Score(id, projectId, t.id(), null, null, null, res.name(), res.value(), null,
        Score.DataType.NUMERIC, Score.Source.EVAL, res.reason(), meta.toString(), null, null,
        t.environment(), clock.instant());
  }

  /** The same rule, trace and score always get the same id, so a re-run overwrites. */
  static String scoreId(String rule, String traceId, String score) {
    return "online-" + ItemHash.sha256(rule + "\u0000" + traceId + "\u0000" + score)
        .substring(0, 32);
  }

  /**
   * Makes the judge for one trace under one rule: a model asked through Keel's gateway, whose
   * calls are tagged {@value #JUDGE_TAG} and report their cost (null when unknown).
   */
  @FunctionalInterface
  public interface JudgeClient {
    Judge judge(String model, String rule, String traceId, Consumer<BigDecimal> cost);

    /**
     * Throws {@link IllegalArgumentException} naming {@code model} when no judge can be asked
     * with it; by default every model is accepted.
     */
    default void check(String model) {}
  }

  private record Pending(String traceId, long touchedMillis, long dueMillis) {}

  private record Active(OnlineRule rule, List<Scorer> scorers, DailyCap cap,
      JudgeBreaker breaker) {}
}
