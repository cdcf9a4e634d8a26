package dev.keel.sdk;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Sends ingestion events to Keel in batches from one background thread.
 *
 * <p>Concurrency: application threads call {@link #enqueue} (never blocks, drops when full);
 * the daemon worker owns all network I/O. Each event is counted once as accepted and later once
 * as settled (sent, failed or dropped at close); {@link #flush} waits on {@code progress} until
 * the settled count reaches the accepted count it saw on entry, so it covers exactly the events
 * given before the call.
 */
final class Exporter {

  private static final long MAX_BACKOFF_MS = 30_000;

  private final ClientSettings settings;
  private final IngestionTransport transport;
  private final Warnings warnings;
  private final EventQueue queue;
  private final Thread worker;
  private final Object progress = new Object();
  private final AtomicLong accepted = new AtomicLong();
  private final AtomicLong settled = new AtomicLong();
  private final AtomicLong sent = new AtomicLong();
  private final AtomicLong rejected = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private volatile boolean abandon;

  Exporter(ClientSettings settings, IngestionTransport transport, Warnings warnings) {
    this.settings = settings;
    this.transport = transport;
    this.warnings = warnings;
    this.queue = new EventQueue(settings.maxQueueSize(), settings.flushAt());
    this.worker = new Thread(this::run, "keel-sdk-exporter");
    worker.setDaemon(true);
    worker.start();
  }

  /** Wraps a body in an event envelope and queues it; false when it was dropped. */
  boolean enqueue(String type, ObjectNode body) {
    ObjectNode event = Json.object();
    event.put("id", KeelClient.newId());
    event.put("timestamp", Json.time(settings.clock().instant()));
    event.put("type", type);
    event.set("body", body);
    if (!queue.offer(event)) {
      dropped.incrementAndGet();
      warnings.once("queue-full", "Keel SDK queue full ({} events) or closed: events are "
          + "dropped; raise maxQueueSize or check that Keel is reachable",
          settings.maxQueueSize());
      return false;
    }
    accepted.incrementAndGet();
    return true;
  }

  /** Sends everything queued before this call; false when {@code timeout} ran out first. */
  boolean flush(Duration timeout) {
    long target = accepted.get();
    queue.requestFlush();
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (progress) {
      while (settled.get() < target) {
        long left = deadline - System.nanoTime();
        if (left <= 0 || !worker.isAlive()) {
          return settled.get() >= target;
        }
        try {
          TimeUnit.NANOSECONDS.timedWait(progress, left);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return false;
        }
      }
    }
    return true;
  }

  /** Stops taking events, sends what is queued within {@code timeout}, then stops the worker. */
  boolean close(Duration timeout) {
    queue.close();
    try {
      worker.join(timeout.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    boolean clean = !worker.isAlive();
    if (!clean) {
      abandon = true;
      worker.interrupt();
    }
    return clean;
  }

  ExportStats stats() {
    return new ExportStats(accepted.get(), sent.get(), rejected.get(), dropped.get(),
        failed.get(), queue.size());
  }

  private void run() {
    long intervalNanos = settings.flushInterval().toNanos();
    while (!abandon && !queue.isClosedAndEmpty()) {
      try {
        List<ObjectNode> batch = queue.take(intervalNanos);
        if (!batch.isEmpty()) {
          sendAll(batch);
        }
      } catch (InterruptedException e) {
        break;
      } catch (RuntimeException e) {
        warnings.once("worker:" + e.getClass().getName(),
            "Keel SDK exporter hit an unexpected error and carries on: {}", e.toString());
      }
    }
    List<ObjectNode> rest = queue.drain();
    failed.addAndGet(rest.size());
    settle(rest.size());
  }

  private void sendAll(List<ObjectNode> events) throws InterruptedException {
    List<byte[]> chunk = new ArrayList<>();
    int chunkBytes = 0;
    for (ObjectNode event : events) {
      byte[] bytes = encode(event);
      if (bytes == null) {
        settle(1);
        continue;
      }
      if (!chunk.isEmpty() && chunkBytes + bytes.length + 1 > settings.maxBatchBytes()) {
        sendWithRetries(chunk);
        chunk = new ArrayList<>();
        chunkBytes = 0;
      }
      chunk.add(bytes);
      chunkBytes += bytes.length + 1;
    }
    if (!chunk.isEmpty()) {
      sendWithRetries(chunk);
    }
  }

  /** One event's bytes, with large payloads cut to fit; null (and counted) when it cannot. */
  private byte[] encode(ObjectNode event) {
    try {
      byte[] bytes = Json.MAPPER.writeValueAsBytes(event);
      if (bytes.length <= settings.maxEventBytes()) {
        return bytes;
      }
      ObjectNode body = (ObjectNode) event.get("body");
      for (String field : List.of("input", "output", "metadata")) {
        if (body.has(field)) {
          body.put(field, "[omitted by keel-sdk: event over " + settings.maxEventBytes()
              + " bytes]");
        }
      }
      bytes = Json.MAPPER.writeValueAsBytes(event);
      if (bytes.length <= settings.maxEventBytes()) {
        return bytes;
      }
    } catch (IOException | RuntimeException e) {
      warnings.once("encode", "Keel SDK could not encode an event: {}", e.toString());
    }
    dropped.incrementAndGet();
    warnings.once("too-large", "Keel SDK dropped an event over {} bytes", settings
        .maxEventBytes());
    return null;
  }

  private void sendWithRetries(List<byte[]> events) throws InterruptedException {
    boolean delivered = false;
    try {
      delivered = deliver(batchBody(events), events.size());
    } finally {
      if (!delivered) {
        failed.addAndGet(events.size());
      }
      settle(events.size());
    }
  }

  /** Posts until sent, a final answer, or retries run out; true when Keel took the batch. */
  private boolean deliver(byte[] body, int count) throws InterruptedException {
    for (int attempt = 0; ; attempt++) {
      IngestionTransport.Result result = transport.post(body);
      if (result.outcome() == IngestionTransport.Outcome.SENT) {
        sent.addAndGet(count);
        rejected.addAndGet(result.rejected());
        return true;
      }
      if (result.outcome() == IngestionTransport.Outcome.FAILED
          || attempt >= settings.maxRetries() || abandon) {
        return false;
      }
      Thread.sleep(backoffMillis(attempt, result.retryAfter()));
    }
  }

  private long backoffMillis(int attempt, Duration retryAfter) {
    long base = settings.retryBaseDelay().toMillis() << Math.min(attempt, 16);
    long wait = retryAfter == null ? base : Math.max(base, retryAfter.toMillis());
    return Math.min(wait, MAX_BACKOFF_MS);
  }

  private byte[] batchBody(List<byte[]> events) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes("{\"batch\":[".getBytes(UTF_8));
    for (int i = 0; i < events.size(); i++) {
      if (i > 0) {
        out.write(',');
      }
      out.writeBytes(events.get(i));
    }
    out.writeBytes("],\"metadata\":".getBytes(UTF_8));
    out.writeBytes(metadata(events.size()).toString()
        .getBytes(UTF_8));
    out.write('}');
    return out.toByteArray();
  }

  private ObjectNode metadata(int size) {
    ObjectNode m = Json.object();
    m.put("batch_size", size);
    m.put("sdk_name", KeelClient.SDK_NAME);
    m.put("sdk_version", KeelClient.SDK_VERSION);
    m.put("public_key", settings.publicKey());
    return m;
  }

  private void settle(int count) {
    if (count == 0) {
      return;
    }
    settled.addAndGet(count);
    synchronized (progress) {
      progress.notifyAll();
    }
  }
}
