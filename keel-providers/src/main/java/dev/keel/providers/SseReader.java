package dev.keel.providers;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Reads server-sent events incrementally from a byte stream, following the WHATWG
 * event-stream rules: lines end in CRLF, LF or CR; lines starting with {@code :} are comments;
 * one space after the colon is dropped; {@code data} lines are joined with {@code \n}; a blank
 * line ends an event. {@code id} and {@code retry} are read and ignored.
 *
 * <p>Two deliberate departures: an event that has a name but no data is still returned (with
 * empty data), because the name alone tells Keel something; and an event whose last line was
 * complete but which lacks the closing blank line at end of stream is returned, because sloppy
 * servers end that way. A line cut off mid-way by the end of the stream is discarded, so a
 * truncated event is never mistaken for a whole one.
 *
 * <p>Not thread-safe: one reader per stream, read by one thread at a time.
 */
public final class SseReader implements AutoCloseable {

  private final InputStream in;
  private final byte[] buf = new byte[8192];
  private final ByteArrayOutputStream line = new ByteArrayOutputStream(256);
  private int pos;
  private int limit;
  private boolean skipLf;
  private boolean eof;

  public SseReader(InputStream in) {
    this.in = Objects.requireNonNull(in, "in");
  }

  /** The next event, or null at end of stream. */
  public SseEvent next() throws IOException {
    String event = null;
    StringBuilder data = null;
    while (true) {
      String l = readLine();
      if (l == null || l.isEmpty()) {
        if (data != null || event != null) {
          return new SseEvent(event, data == null ? "" : data.toString());
        }
        if (l == null) {
          return null;
        }
        continue;
      }
      if (l.charAt(0) == ':') {
        continue;
      }
      int colon = l.indexOf(':');
      String field = colon < 0 ? l : l.substring(0, colon);
      String value = colon < 0 ? "" : valueAfter(l, colon);
      if (field.equals("data")) {
        data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
      } else if (field.equals("event")) {
        event = value;
      }
    }
  }

  @Override
  public void close() throws IOException {
    in.close();
  }

  private static String valueAfter(String l, int colon) {
    int start = colon + 1;
    if (start < l.length() && l.charAt(start) == ' ') {
      start++;
    }
    return l.substring(start);
  }

  /** One line without its terminator; null at end of stream (an unterminated tail is dropped). */
  private String readLine() throws IOException {
    line.reset();
    while (true) {
      if (pos == limit && !fill()) {
        return null;
      }
      byte b = buf[pos++];
      if (skipLf) {
        skipLf = false;
        if (b == '\n') {
          continue;
        }
      }
      if (b == '\n') {
        return line.toString(StandardCharsets.UTF_8);
      }
      if (b == '\r') {
        skipLf = true;
        return line.toString(StandardCharsets.UTF_8);
      }
      line.write(b);
    }
  }

  private boolean fill() throws IOException {
    if (eof) {
      return false;
    }
    int n = in.read(buf, 0, buf.length);
    if (n <= 0) {
      eof = true;
      return false;
    }
    pos = 0;
    limit = n;
    return true;
  }
}
