package dev.keel.providers;

import java.util.List;
import java.util.Map;

/**
 * A streaming upstream answer, read one event at a time. The status was 2xx (others are thrown
 * as {@link UpstreamException} before a stream exists). One reader thread at a time.
 */
public interface UpstreamStream extends AutoCloseable {

  /**
   * The next event, or null after the stream's terminal event ({@code [DONE]} or
   * {@code message_stop}) and the end of the body.
   *
   * @throws UpstreamException TIMEOUT when a read waits longer than the endpoint timeout,
   *     DISCONNECTED when the stream ends or breaks before its terminal event, or the error an
   *     in-stream error event reports
   */
  SseEvent next() throws UpstreamException;

  int status();

  /** Response headers, names in lower case. */
  Map<String, List<String>> headers();

  /** Releases the connection; safe to call more than once. */
  @Override
  void close();
}
