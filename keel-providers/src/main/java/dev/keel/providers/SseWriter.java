package dev.keel.providers;

import java.nio.charset.StandardCharsets;

/** Encodes server-sent events for the wire. */
public final class SseWriter {

  private SseWriter() {
  }

  /**
   * The UTF-8 bytes of {@code e}: an {@code event:} line when it has a name, one {@code data:}
   * line per line of data, and the blank line that ends the event.
   */
  public static byte[] encode(SseEvent e) {
    var sb = new StringBuilder(e.data().length() + 32);
    if (e.event() != null) {
      sb.append("event: ").append(e.event()).append('\n');
    }
    // A newline inside data would end the field early, so each line gets its own data field.
    for (String line : e.data().split("\r\n|\r|\n", -1)) {
      sb.append("data: ").append(line).append('\n');
    }
    sb.append('\n');
    return sb.toString().getBytes(StandardCharsets.UTF_8);
  }
}
