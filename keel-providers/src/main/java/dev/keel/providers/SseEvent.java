package dev.keel.providers;

import java.util.Objects;

/**
 * One server-sent event.
 *
 * @param event the {@code event:} name, or null when the event had none (OpenAI sends none)
 * @param data the {@code data:} lines joined with {@code \n}; empty when the event had none
 */
public record SseEvent(String event, String data) {

  public SseEvent {
    Objects.requireNonNull(data, "data");
  }

  /** An event with data only, as OpenAI streams them. */
  public static SseEvent data(String data) {
    return new SseEvent(null, data);
  }
}
