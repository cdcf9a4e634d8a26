package dev.keel.providers;

import java.util.List;

/**
 * Turns one upstream event stream into the client's format, event by event. One instance per
 * stream; not thread-safe.
 */
public interface StreamTranslator {

  /** Zero or more events for the client in answer to one upstream event. */
  List<SseEvent> onEvent(SseEvent upstream);

  /** Events still owed to the client when the upstream stream has ended. */
  List<SseEvent> onEnd();
}
