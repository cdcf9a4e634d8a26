package dev.keel.gateway;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Map;

/**
 * The client's side of one gateway call, written by the HTTP layer. The gateway calls exactly one
 * of the two methods. Errors raised before either call are the HTTP layer's to render.
 */
public interface ResponseChannel {

  /** Sends a whole JSON answer. */
  void sendJson(int status, Map<String, String> headers, byte[] body) throws IOException;

  /**
   * Starts a {@code text/event-stream} answer with status 200 and returns its body; each write
   * is followed by a flush so events reach the client at once.
   */
  OutputStream startStream(Map<String, String> headers) throws IOException;

  /**
   * Adds a header to the error answer the HTTP layer renders when the gateway throws (such as
   * {@code x-keel-attempts} after retries); ignored by channels that render no errors.
   */
  default void errorHeader(String name, String value) {}
}
