package dev.keel.sdk;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The bounded hand-off between application threads and the export worker.
 *
 * <p>Concurrency: one lock guards the deque and the flush flag. Application threads only ever
 * call {@link #offer}, which never waits: a full queue refuses the event. The single worker waits
 * in {@link #take} until a batch is full, the interval has passed, a flush was asked for, or the
 * queue was closed. A flush request stays set until the queue has been drained, so every event
 * accepted before it goes out without waiting for the interval.
 */
final class EventQueue {

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition ready = lock.newCondition();
  private final ArrayDeque<ObjectNode> items = new ArrayDeque<>();
  private final int capacity;
  private final int batchSize;
  private boolean flushRequested;
  private boolean closed;

  EventQueue(int capacity, int batchSize) {
    this.capacity = capacity;
    this.batchSize = batchSize;
  }

  /** Adds an event unless the queue is full or closed; never blocks. */
  boolean offer(ObjectNode event) {
    lock.lock();
    try {
      if (closed || items.size() >= capacity) {
        return false;
      }
      items.addLast(event);
      if (items.size() >= batchSize) {
        ready.signal();
      }
      return true;
    } finally {
      lock.unlock();
    }
  }

  /** Asks the worker to send everything queued now. */
  void requestFlush() {
    lock.lock();
    try {
      flushRequested = true;
      ready.signal();
    } finally {
      lock.unlock();
    }
  }

  /** Refuses new events and wakes the worker so it drains what is left. */
  void close() {
    lock.lock();
    try {
      closed = true;
      ready.signal();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Waits up to {@code maxWaitNanos} for a full batch (or a flush or close), then removes and
   * returns up to one batch; empty when nothing arrived.
   */
  List<ObjectNode> take(long maxWaitNanos) throws InterruptedException {
    lock.lock();
    try {
      long nanos = maxWaitNanos;
      while (items.size() < batchSize && !flushRequested && !closed && nanos > 0) {
        nanos = ready.awaitNanos(nanos);
      }
      List<ObjectNode> batch = new ArrayList<>(Math.min(batchSize, items.size()));
      while (batch.size() < batchSize && !items.isEmpty()) {
        batch.add(items.pollFirst());
      }
      if (items.isEmpty()) {
        flushRequested = false;
      }
      return batch;
    } finally {
      lock.unlock();
    }
  }

  /** Removes everything left, for a close that ran out of time. */
  List<ObjectNode> drain() {
    lock.lock();
    try {
      List<ObjectNode> rest = new ArrayList<>(items);
      items.clear();
      return rest;
    } finally {
      lock.unlock();
    }
  }

  boolean isClosedAndEmpty() {
    lock.lock();
    try {
      return closed && items.isEmpty();
    } finally {
      lock.unlock();
    }
  }

  int size() {
    lock.lock();
    try {
      return items.size();
    } finally {
      lock.unlock();
    }
  }
}
