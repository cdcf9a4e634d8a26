package dev.keel.providers;

import io.helidon.webclient.api.HttpClientResponse;
import dev.keel.providers.UpstreamException.Kind;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * An upstream event stream over an HTTP response body, read on the caller's thread. The socket's
 * read timeout (the endpoint timeout) bounds every read, so a stalled provider ends the stream
 * with a TIMEOUT instead of holding the client forever.
 */
final class HttpUpstreamStream implements UpstreamStream {

  private final Endpoint endpoint;
  private final int status;
  private final Map<String, List<String>> headers;
  private final HttpClientResponse response;
  private final SseReader reader;
  private boolean closed;
  private boolean terminalSeen;
  private boolean ended;

  HttpUpstreamStream(Endpoint endpoint, int status, Map<String, List<String>> headers,
      HttpClientResponse response) {
    this.endpoint = endpoint;
    this.status = status;
    this.headers = headers;
    this.response = response;
    this.reader = new SseReader(response.inputStream());
  }

  @Override
  public SseEvent next() throws UpstreamException {
    if (ended) {
      return null;
    }
    SseEvent event;
    try {
      event = reader.next();
    } catch (IOException | RuntimeException broken) {
      ended = true;
      close();
      UpstreamException u = ProviderClient.transportFailure(endpoint, broken);
      if (u.kind() == Kind.TIMEOUT) {
        throw u;
      }
      throw disconnected("the stream broke: " + ErrorClassifier.describe(broken), broken);
    }
    if (event == null) {
      ended = true;
      if (!terminalSeen) {
        throw disconnected("the stream ended before its terminal event", null);
      }
      return null;
    }
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
      ProviderClient.closeQuietly(response);
    }
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
