package dev.keel.providers;

import dev.keel.providers.UpstreamException.Kind;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * An upstream event stream over an HTTP response body.
 *
 * <p>Concurrency: the JDK's response stream cannot be given a read timeout, so a virtual
 * "pump" thread reads events into a small bounded queue and {@link #next()} polls it with the
 * endpoint timeout. The queue bound keeps a slow client from buffering a fast upstream without
 * limit. {@link #close()} interrupts the pump and closes the body, which ends the pump's read.
 */
final class HttpUpstreamStream implements UpstreamStream {

  private static final int QUEUE_CAPACITY = 64;
  private static final Object END = new Object();

  private final Endpoint endpoint;
  private final int status;
  private final Map<String, List<String>> headers;
  private final InputStream body;
  private final BlockingQueue<Object> queue = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
  private final Thread pump;
  private volatile boolean closed;
  private boolean terminalSeen;
  private boolean ended;

  HttpUpstreamStream(Endpoint endpoint, int status, Map<String, List<String>> headers,
      InputStream body) {
    this.endpoint = endpoint;
    this.status = status;
    this.headers = headers;
    this.body = body;
    this.pump = Thread.ofVirtual().name("keel-sse-" + endpoint.provider()).start(this::pump);
  }

  @Override
  public SseEvent next() throws UpstreamException {
    if (ended) {
      return null;
    }
    Object item = poll();
    if (item == END) {
      ended = true;
      if (!terminalSeen) {
        throw disconnected("the stream ended before its terminal event", null);
      }
      return null;
    }
    if (item instanceof IOException broken) {
      ended = true;
      throw disconnected("the stream broke: " + broken.getMessage(), broken);
    }
    SseEvent event = (SseEvent) item;
    checkForError(event);
    terminalSeen |= isTerminal(event);
    return event;
  }

  @Override
  public int status() {
    return status;
  }

  @Override
  public Map<String, List<String>> headers() {
    return headers;
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      pump.interrupt();
      ProviderClient.closeQuietly(body);
    }
  }

  private void pump() {
    try (var reader = new SseReader(body)) {
      SseEvent e;
      while ((e = reader.next()) != null) {
        queue.put(e);
      }
      queue.put(END);
    } catch (IOException broken) {
      if (!closed) {
        queue.offer(broken);
      }
    } catch (InterruptedException stopped) {
      // close() asked the pump to stop; nobody reads the queue any more
    }
  }

  private Object poll() {
    Object item;
    try {
      item = queue.poll(endpoint.timeout().toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException interrupted) {
      close();
      Thread.currentThread().interrupt();
      throw new UpstreamException(Kind.DISCONNECTED, endpoint.provider(), status, null, null,
          "interrupted while reading the stream from " + endpoint.provider(), interrupted);
    }
    if (item == null) {
      close();
      ended = true;
      throw ProviderClient.timeout(endpoint, null);
    }
    return item;
  }

  private boolean isTerminal(SseEvent e) {
    if (endpoint.format() == WireFormat.OPENAI) {
      return e.data().strip().equals("[DONE]");
    }
    return "message_stop".equals(e.event())
        || e.event() == null && e.data().contains("\"message_stop\"");
  }

  /** Both providers may report a failure inside a 200 stream; it is thrown like a status. */
  private void checkForError(SseEvent e) {
    boolean error = endpoint.format() == WireFormat.ANTHROPIC
        ? "error".equals(e.event())
        : e.data().startsWith("{") && e.data().contains("\"error\"") && isOpenAiError(e.data());
    if (error) {
      ended = true;
      close();
      throw ErrorClassifier.ofStreamError(endpoint, e.data());
    }
  }

  private static boolean isOpenAiError(String data) {
    try {
      var n = Json.MAPPER.readTree(data);
      return n.has("error") && !n.has("choices");
    } catch (IOException notJson) {
      return false;
    }
  }

  private UpstreamException disconnected(String what, Throwable cause) {
    close();
    return new UpstreamException(Kind.DISCONNECTED, endpoint.provider(), status, null, null,
        endpoint.provider() + ": " + what, cause);
  }
}
