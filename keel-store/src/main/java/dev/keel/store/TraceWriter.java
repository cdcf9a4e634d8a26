package dev.keel.store;

import dev.keel.core.error.ErrorCode;
import dev.keel.core.error.KeelException;
import dev.keel.core.trace.Observation;
import dev.keel.core.trace.Trace;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes traces off the request path, in batches, through a bounded queue.
 *
 * <p>Concurrency: any thread may {@link #offer}; it never blocks and returns false when the
 * queue is full (the item is dropped and counted). A background writer thread takes whatever is
 * queued, up to {@code maxBatch} offers, and commits it in one transaction. While a
 * transaction runs, new offers pile up and go into the next one, so batches grow with load
 * (group commit) and nothing waits longer than one commit when the store keeps up. When the
 * queue is idle a writer wakes every {@code flushInterval} to check for close.
 *
 * <p>With several writers (PostgreSQL, where two transactions can run at once) each takes its
 * offers in queue order, and a take waits, before it writes, for every earlier take still in
 * flight that names one of the same traces, observations or scores (a trace also counts as
 * named by its observations, whose rollup updates it). So an update never overtakes the
 * create it merges into, and two in-flight transactions never touch the same row, which also
 * keeps them from deadlocking on each other's rollups.
 *
 * <p>{@link #submit} is the acknowledged form for ingestion: the caller waits (a bounded time)
 * for queue space instead of being dropped, and gets a future completed once the transaction
 * holding its batch commits, or completed exceptionally when that batch finally failed. Many
 * concurrent requests so share one transaction each time the writer drains the queue.
 *
 * <p>{@link #flush} puts a marker into the same queue and waits for the writer to reach it:
 * because the queue is FIFO, everything offered before the call has then been written (or
 * given up on after retries). A batch that keeps failing is retried a few times, then dropped,
 * counted in {@link #dropped} and logged at ERROR with its counts, never its contents.
 */
public final class TraceWriter implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(TraceWriter.class);
  private static final int ATTEMPTS = 3;
  private static final long FIRST_BACKOFF_MS = 50;

  private final TraceStore store;
  private final BlockingQueue<Object> queue;
  private final int maxBatch;
  private final Duration flushInterval;
  private final List<Thread> threads;
  // Held while a writer takes from the queue and registers what it took, so takes are ordered.
  private final ReentrantLock take = new ReentrantLock();
  // Takes registered and not yet finished, in take order (only with more than one writer).
  private final ArrayDeque<Take> inFlight = new ArrayDeque<>();
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicLong written = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private volatile boolean closed;
  private volatile CommitListener listener;
  private final List<Runnable> beforeClose = new java.util.concurrent.CopyOnWriteArrayList<>();

  /**
   * Starts the writer thread.
   *
   * @param capacity offers the queue holds before new ones are dropped
   * @param maxBatch most offers committed in one transaction
   * @param flushInterval how often an idle writer checks for close
   */
  public TraceWriter(TraceStore store, int capacity, int maxBatch, Duration flushInterval) {
    this(store, capacity, maxBatch, flushInterval, 1);
  }

  /**
   * Starts {@code writers} writer threads (see the class comment for their ordering).
   *
   * @param writers transactions that may run at once; 1 for SQLite, which has one writer
   */
  public TraceWriter(TraceStore store, int capacity, int maxBatch, Duration flushInterval,
      int writers) {
    this.store = Objects.requireNonNull(store, "store");
    if (writers <= 0) {
      throw new IllegalArgumentException("writers must be positive: " + writers);
    }
    if (capacity <= 0) {
      throw new IllegalArgumentException("capacity must be positive: " + capacity);
    }
    if (maxBatch <= 0) {
      throw new IllegalArgumentException("maxBatch must be positive: " + maxBatch);
    }
    if (flushInterval.isNegative() || flushInterval.isZero()) {
      throw new IllegalArgumentException("flushInterval must be positive: " + flushInterval);
    }
    this.queue = new ArrayBlockingQueue<>(capacity);
    this.maxBatch = maxBatch;
    this.flushInterval = flushInterval;
    var started = new ArrayList<Thread>();
    for (int i = 0; i < writers; i++) {
      var t = new Thread(this::run, writers == 1 ? "keel-trace-writer" : "keel-trace-writer-" + i);
      t.setDaemon(true);
      t.start();
      started.add(t);
    }
    this.threads = List.copyOf(started);
  }

  /**
   * Queues a trace (may be null for observation-only updates) and its observations. Returns
   * false, and counts a drop, when the queue is full or the writer is closed.
   */
  public boolean offer(Trace trace, List<Observation> observations) {
    return offer(TraceBatch.of(trace == null ? List.of() : List.of(trace),
        observations == null ? List.of() : observations));
  }

  /**
   * Queues {@code batch} without waiting or acknowledgement (a gateway call's trace). Returns
   * false, and counts a drop, when the queue is full or the writer is closed.
   */
  public boolean offer(TraceBatch batch) {
    var item = new Item(batch, null);
    if (closed || !queue.offer(item)) {
      dropped.incrementAndGet();
      return false;
    }
    return true;
  }

  /**
   * Queues {@code batch} and returns a future completed when the transaction holding it has
   * committed. Waits up to {@code maxWait} for queue space; when there is none by then, or the
   * writer is closed, the future fails with a RATE_LIMITED error and nothing is written.
   */
  public CompletableFuture<Void> submit(TraceBatch batch, Duration maxWait) {
    var done = new CompletableFuture<Void>();
    if (batch.isEmpty()) {
      done.complete(null);
      return done;
    }
    boolean queued = false;
    try {
      queued = !closed && queue.offer(new Item(batch, done), maxWait.toMillis(),
          TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (!queued) {
      dropped.incrementAndGet();
      done.completeExceptionally(new KeelException(ErrorCode.RATE_LIMITED,
          "the trace writer is full or stopping; retry shortly (tracing.queue_capacity)"));
    }
    return done;
  }

  /**
   * Tells {@code l} about every batch once its transaction has committed (one listener; a later
   * call replaces it). It runs on a writer thread, and with several writers on two at once, so
   * it must be thread-safe and only hand the batch on.
   */
  public void onCommit(CommitListener l) {
    this.listener = l;
  }

  /**
   * Runs {@code hook} when {@link #close} starts, while submits are still taken: a component
   * that holds work for the writer (token counts made later) hands it in then, and the close's
   * flush writes it.
   */
  public void beforeClose(Runnable hook) {
    beforeClose.add(Objects.requireNonNull(hook, "hook"));
  }

  /** The store this writer writes to, for components that read back what it wrote. */
  public TraceStore store() {
    return store;
  }

  /** Offers waiting in the queue. */
  public long queueDepth() {
    return queue.size();
  }

  /**
   * Offers lost: refused because the queue was full or the writer closed, or given up on after
   * the store failed every attempt (those are also counted in {@link #failed}).
   */
  public long dropped() {
    return dropped.get();
  }

  /** Offers committed to the store. */
  public long written() {
    return written.get();
  }

  /** Offers given up on after a batch failed every attempt. */
  public long failed() {
    return failed.get();
  }

  /** Blocks until everything offered before this call is committed (or given up on). */
  public void flush() {
    if (!alive()) {
      return;
    }
    var marker = new CountDownLatch(1);
    try {
      queue.put(marker);
      while (!marker.await(flushInterval.toMillis() + 100, TimeUnit.MILLISECONDS)) {
        if (!alive()) {
          return;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Flushes, then stops the writer thread; later offers are dropped. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    for (Runnable hook : beforeClose) {
      try {
        hook.run();
      } catch (RuntimeException e) {
        LOG.warn("trace writer close hook failed: {}", e.toString());
      }
    }
    closed = true;
    flush();
    threads.forEach(Thread::interrupt);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    try {
      for (Thread t : threads) {
        t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private boolean alive() {
    return threads.stream().anyMatch(Thread::isAlive);
  }

  private void run() {
    var batch = new ArrayList<Object>(maxBatch);
    while (true) {
      Take taken;
      try {
        take.lockInterruptibly();
      } catch (InterruptedException e) {
        // close() interrupts only after its flush; anything still queued is written first.
        if (closed && queue.isEmpty()) {
          return;
        }
        continue;
      }
      try {
        Object first = null;
        try {
          first = queue.poll(flushInterval.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
          // as above
        }
        if (first == null) {
          if (closed && queue.isEmpty()) {
            return;
          }
          continue;
        }
        batch.add(first);
        queue.drainTo(batch, maxBatch - 1);
        taken = register(batch);
      } finally {
        take.unlock();
      }
      try {
        if (taken != null) {
          taken.awaitEarlier();
        }
        process(batch);
      } finally {
        if (taken != null) {
          taken.finish();
        }
        batch.clear();
      }
    }
  }

  // Called under the take lock; null with one writer, whose takes run in order anyway.
  private Take register(List<Object> batch) {
    if (threads.size() == 1) {
      return null;
    }
    var taken = new Take(batch);
    synchronized (inFlight) {
      for (Take earlier : inFlight) {
        if (taken.mustFollow(earlier)) {
          taken.earlier.add(earlier);
        }
      }
      inFlight.add(taken);
    }
    return taken;
  }

  // Items up to a flush marker are written before the marker is released.
  private void process(List<Object> batch) {
    var items = new ArrayList<Item>();
    for (Object o : batch) {
      if (o instanceof Item item) {
        items.add(item);
      } else {
        writeWithRetries(items);
        items.clear();
        ((CountDownLatch) o).countDown();
      }
    }
    writeWithRetries(items);
  }

  private void writeWithRetries(List<Item> items) {
    if (items.isEmpty()) {
      return;
    }
    var traces = new ArrayList<Trace>();
    var observations = new ArrayList<Observation>();
    var updates = new ArrayList<Observation>();
    var scores = new ArrayList<Score>();
    Set<Trace> joining = Collections.newSetFromMap(new IdentityHashMap<>());
    for (Item item : items) {
      traces.addAll(item.batch().traces());
      joining.addAll(item.batch().joining());
      observations.addAll(item.batch().observations());
      updates.addAll(item.batch().observationUpdates());
      scores.addAll(item.batch().scores());
    }
    var merged = new TraceBatch(traces, observations, updates, scores, finisher(items),
        joining);
    RuntimeException last = null;
    for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
      try {
        store.write(merged);
        written.addAndGet(items.size());
        items.forEach(Item::complete);
        committed(merged);
        return;
      } catch (RuntimeException e) {
        last = e;
        if (attempt < ATTEMPTS) {
          sleepQuietly(FIRST_BACKOFF_MS << (2 * (attempt - 1)));
        }
      }
    }
    if (items.size() > 1) {
      // One bad batch must not fail the requests it shared a transaction with.
      items.forEach(this::writeAlone);
      return;
    }
    failed.addAndGet(items.size());
    dropped.addAndGet(items.size());
    RuntimeException cause = last;
    items.forEach(item -> item.fail(cause));
    LOG.error("Trace batch dropped after {} attempts: {} traces, {} observations ({})",
        ATTEMPTS, traces.size(), observations.size(), describe(last));
  }

  private void writeAlone(Item item) {
    try {
      store.write(item.batch());
      written.incrementAndGet();
      item.complete();
      committed(item.batch());
    } catch (RuntimeException e) {
      failed.incrementAndGet();
      dropped.incrementAndGet();
      item.fail(e);
      LOG.error("Trace batch dropped: {} rows ({})", item.batch().size(), describe(e));
    }
  }

  private void committed(TraceBatch batch) {
    CommitListener l = listener;
    if (l == null) {
      return;
    }
    try {
      l.committed(batch);
    } catch (RuntimeException e) {
      // A listener's bug must not stop the writer: the batch is already committed.
      LOG.warn("trace commit listener failed: {}", e.toString());
    }
  }

  /**
   * Each row is finished by the finisher of the batch its event came from (found by identity),
   * so a batch may carry state for its own rows, such as token counts made ahead.
   */
  private static TraceBatch.Finisher finisher(List<Item> items) {
    TraceBatch.Finisher first = items.get(0).batch().finisher();
    if (items.stream().allMatch(i -> i.batch().finisher() == first)) {
      return first; // one finisher for all (ingestion's pricing): no need to look it up per row
    }
    var byEvent = new IdentityHashMap<Observation, TraceBatch.Finisher>();
    for (Item item : items) {
      TraceBatch.Finisher f = item.batch().finisher();
      if (f != null) {
        item.batch().observations().forEach(o -> byEvent.put(o, f));
        item.batch().observationUpdates().forEach(o -> byEvent.put(o, f));
      }
    }
    if (byEvent.isEmpty()) {
      return null;
    }
    return (merged, incoming, isNew) -> {
      TraceBatch.Finisher f = byEvent.get(incoming);
      return f == null ? merged : f.finish(merged, incoming, isNew);
    };
  }

  // Names the failure without its message, which may quote stored values.
  private static String describe(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException sql) {
        return sql.getClass().getSimpleName() + " SQLState " + sql.getSQLState();
      }
    }
    return e.getClass().getName();
  }

  private static void sleepQuietly(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      // Kept for the writer loop, whose next poll consumes it; a retry may be cut short.
      Thread.currentThread().interrupt();
    }
  }

  /** Told about each committed batch (online evaluation watches traces this way). */
  @FunctionalInterface
  public interface CommitListener {
    void committed(TraceBatch batch);
  }

  /**
   * What one writer took from the queue: the rows it names and the earlier takes it waits for.
   * A take holding a flush marker waits for every earlier take.
   */
  private final class Take {
    final Set<String> keys = new HashSet<>();
    final List<Take> earlier = new ArrayList<>();
    final CountDownLatch done = new CountDownLatch(1);
    boolean marker;

    Take(List<Object> batch) {
      for (Object o : batch) {
        if (!(o instanceof Item item)) {
          marker = true;
          continue;
        }
        TraceBatch b = item.batch();
        StoredRows.tracesNamed(b).forEach(k -> keys.add("t\n" + k));
        for (List<Observation> os : List.of(b.observations(), b.observationUpdates())) {
          os.forEach(o2 -> keys.add("o\n" + RowMerges.key(o2.projectId(), o2.id())));
        }
        b.scores().forEach(sc -> keys.add("s\n" + RowMerges.key(sc.projectId(), sc.id())));
      }
    }

    boolean mustFollow(Take other) {
      return marker || !Collections.disjoint(keys, other.keys);
    }

    void awaitEarlier() {
      boolean interrupted = false;
      for (Take t : earlier) {
        while (true) {
          try {
            t.done.await();
            break;
          } catch (InterruptedException e) {
            interrupted = true; // close() interrupts idle writers only; keep the order even so
          }
        }
      }
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }

    void finish() {
      done.countDown();
      synchronized (inFlight) {
        inFlight.remove(this);
      }
    }
  }

  // done is null for fire-and-forget offers.
  private record Item(TraceBatch batch, CompletableFuture<Void> done) {
    void complete() {
      if (done != null) {
        done.complete(null);
      }
    }

    void fail(RuntimeException e) {
      if (done != null) {
        done.completeExceptionally(e);
      }
    }
  }
}
