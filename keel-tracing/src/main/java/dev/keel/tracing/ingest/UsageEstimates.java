package dev.keel.tracing.ingest;

import dev.keel.core.trace.Observation;
import dev.keel.core.usage.Usage;
import dev.keel.store.TraceBatch;
import dev.keel.store.TraceStore;
import dev.keel.store.TraceWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Token counts of ingested model calls that came without usage, made off the ingestion path.
 *
 * <p>The trace writer notes each such row when it commits it ({@link #later}); {@link #DELAY}
 * later one background thread reads back those of them that still have neither usage nor cost
 * (most get their usage in a later update of the SDK), counts their tokens with the tokenizer
 * and hands the counts to the writer as update events, which price them and mark them
 * estimated in the same transaction as any other write, unless the row got usage or a cost
 * meanwhile. An update that brings new text to an estimated row notes it again, so the count
 * follows the stored text.
 *
 * <p>Known limit: an observation deleted between the read and the writer's commit of its count
 * (a few milliseconds) comes back as a provisional row with only its ids, type and start time.
 *
 * <p>Bounded: at most {@link #MAX_PENDING} rows wait; beyond that a row is not counted (logged
 * and counted in {@link #skipped}). Rows still waiting when the writer closes are counted then,
 * before its last flush; rows noted by a process that is killed are not counted.
 */
final class UsageEstimates {

  /** How long after its commit a row without usage is counted. */
  static final Duration DELAY = Duration.ofSeconds(2);
  static final int MAX_PENDING = 200_000;
  private static final int ROUND = 2_000;
  private static final Duration QUEUE_WAIT = Duration.ofSeconds(5);
  private static final Logger LOG = LoggerFactory.getLogger(UsageEstimates.class);

  private final TraceWriter writer;
  private final TraceStore store;
  private final Duration delay;
  private final ConcurrentLinkedQueue<Pending> queue = new ConcurrentLinkedQueue<>();
  private final AtomicInteger size = new AtomicInteger();
  private final AtomicLong skipped = new AtomicLong();
  private final AtomicLong counted = new AtomicLong();
  private final Thread thread;
  private volatile IngestionPricing pricing;
  private volatile boolean stopping;

  UsageEstimates(TraceWriter writer, Duration delay) {
    this.writer = writer;
    this.store = writer.store();
    this.delay = delay;
    this.thread = new Thread(this::run, "keel-usage-estimates");
    thread.setDaemon(true);
    writer.beforeClose(this::close);
  }

  /** Starts counting with {@code p}'s tokenizer rules and prices. */
  void start(IngestionPricing p) {
    this.pricing = p;
    thread.start();
  }

  /** Notes a committed row to count later (cheap: the writer thread calls it). */
  void later(Observation o) {
    note(o.projectId(), o.id());
  }

  private void note(String projectId, String id) {
    if (size.incrementAndGet() > MAX_PENDING) {
      size.decrementAndGet();
      if (skipped.getAndIncrement() % 10_000 == 0) {
        LOG.warn("{} ingested model calls without usage waiting for a token count; new ones are"
            + " not counted ({} so far)", MAX_PENDING, skipped.get());
      }
      return;
    }
    queue.add(new Pending(projectId, id, System.nanoTime() + delay.toNanos()));
  }

  /** Rows waiting to be counted. */
  int pending() {
    return size.get();
  }

  /** Rows not counted because too many were waiting. */
  long skipped() {
    return skipped.get();
  }

  /** Rows whose tokens were counted and handed to the writer. */
  long counted() {
    return counted.get();
  }

  private void run() {
    while (!stopping) {
      Pending head = queue.peek();
      long idle = TimeUnit.MILLISECONDS.toNanos(200);
      long wait = head == null ? idle : head.due() - System.nanoTime();
      if (wait > 0) {
        LockSupport.parkNanos(Math.min(wait, idle));
        continue;
      }
      round(false);
    }
  }

  // Takes the due rows (all when closing), at most ROUND, and counts those still without usage.
  private synchronized void round(boolean all) {
    var byProject = new LinkedHashMap<String, Set<String>>();
    long now = System.nanoTime();
    int taken = 0;
    for (Pending p = queue.peek(); p != null && taken < ROUND && (all || p.due() - now <= 0);
        p = queue.peek()) {
      queue.poll();
      size.decrementAndGet();
      taken++;
      byProject.computeIfAbsent(p.projectId(), k -> new LinkedHashSet<>()).add(p.id());
    }
    for (var e : byProject.entrySet()) {
      try {
        count(e.getKey(), e.getValue());
      } catch (RuntimeException ex) {
        // The store is down or failing: these rows are retried one delay later.
        LOG.warn("token counts of {} ingested observations postponed: {}", e.getValue().size(),
            ex.toString());
        if (!all) {
          e.getValue().forEach(id -> note(e.getKey(), id));
        }
      }
    }
  }

  private void count(String projectId, Set<String> ids) {
    List<Observation> rows = store.awaitingEstimate(projectId, ids);
    if (rows.isEmpty()) {
      return;
    }
    IngestionPricing p = pricing;
    var counts = new IdentityHashMap<Observation, Usage>();
    var updates = new ArrayList<Observation>();
    for (Observation row : rows) {
      if (!p.mayEstimate(row)) {
        continue;
      }
      // An update event that carries nothing: merged into the stored row, it changes no field;
      // the batch's finisher puts the count on it.
      Observation touch = new Observation(row.id(), row.traceId(), row.projectId(), null,
          row.type(), null, row.startTime(), null, null, null, null, null, null, null, null,
          null, null, null, null, null, row.environment());
      counts.put(touch, IngestionPricing.estimate(row));
      updates.add(touch);
    }
    if (updates.isEmpty()) {
      return;
    }
    var batch = new TraceBatch(List.of(), List.of(), updates, List.of(), p.counted(counts));
    writer.submit(batch, QUEUE_WAIT).whenComplete((v, ex) -> {
      if (ex == null) {
        counted.addAndGet(updates.size());
      } else if (!stopping) {
        LOG.warn("token counts of {} ingested observations not stored, retried later: {}",
            updates.size(), ex.toString());
        updates.forEach(this::later);
      }
    });
  }

  // The writer is closing: everything noted is counted now and queued before its last flush.
  private void close() {
    stopping = true;
    thread.interrupt();
    try {
      thread.join(TimeUnit.SECONDS.toMillis(10));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    while (!queue.isEmpty()) {
      round(true);
    }
  }

  private record Pending(String projectId, String id, long due) {
  }
}
