package dev.keel.providers;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SseReaderTest {

  @Test
  void next_multiLineData_joinedWithNewline() throws IOException {
    String wire = "event: message\ndata: first\ndata: second\n\n";

    List<SseEvent> events = readAll(wire);

    assertThat(events).containsExactly(new SseEvent("message", "first\nsecond"));
  }

  @Test
  void next_commentsAndUnknownFields_ignored() throws IOException {
    String wire = ": keep-alive\nid: 7\nretry: 100\ndata: x\n\n: trailing comment\n\n";

    List<SseEvent> events = readAll(wire);

    assertThat(events).containsExactly(new SseEvent(null, "x"));
  }

  @Test
  void next_crlfAndCrLineEndings_readLikeLf() throws IOException {
    String wire = "event: a\r\ndata: 1\r\n\r\nevent: b\rdata: 2\r\r";

    List<SseEvent> events = readAll(wire);

    assertThat(events).containsExactly(new SseEvent("a", "1"), new SseEvent("b", "2"));
  }

  @Test
  void next_eventWithoutData_returnedWithEmptyData() throws IOException {
    String wire = "event: ping\n\ndata: after\n\n";

    List<SseEvent> events = readAll(wire);

    assertThat(events).containsExactly(new SseEvent("ping", ""), new SseEvent(null, "after"));
  }

  @Test
  void next_noSpaceAfterColonAndExtraSpace_onlyOneSpaceDropped() throws IOException {
    String wire = "data:tight\ndata:  two spaces\n\n";

    List<SseEvent> events = readAll(wire);

    assertThat(events).containsExactly(new SseEvent(null, "tight\n two spaces"));
  }

  @Test
  void next_completeLinesWithoutClosingBlankLine_returnedAtEnd() throws IOException {
    String wire = "data: [DONE]\n";

    List<SseEvent> events = readAll(wire);

    assertThat(events).containsExactly(new SseEvent(null, "[DONE]"));
  }

  @Test
  void next_lineCutOffByEndOfStream_dropped() throws IOException {
    String wire = "data: whole\n\ndata: {\"cut";

    List<SseEvent> events = readAll(wire);

    assertThat(events).containsExactly(new SseEvent(null, "whole"));
  }

  @Test
  void next_multiByteCharacters_decodedAsUtf8() throws IOException {
    String wire = "data: h\u00e9llo \u4e16\u754c \uD83D\uDE00\n\n";

    List<SseEvent> events = readAll(wire);

    assertThat(events).containsExactly(new SseEvent(null, "h\u00e9llo \u4e16\u754c \uD83D\uDE00"));
  }

  @Test
  void encode_thenRead_roundTripsNameAndMultiLineData() throws IOException {
    SseEvent e = new SseEvent("content_block_delta", "line one\nline two");

    byte[] wire = SseWriter.encode(e);

    assertThat(new String(wire, StandardCharsets.UTF_8))
        .isEqualTo("event: content_block_delta\ndata: line one\ndata: line two\n\n");
    assertThat(readAll(new String(wire, StandardCharsets.UTF_8))).containsExactly(e);
  }

  @Test
  void encode_withoutName_writesDataOnly() {
    byte[] wire = SseWriter.encode(SseEvent.data("[DONE]"));

    assertThat(new String(wire, StandardCharsets.UTF_8)).isEqualTo("data: [DONE]\n\n");
  }

  private static List<SseEvent> readAll(String wire) throws IOException {
    List<SseEvent> out = new ArrayList<>();
    // One byte per read, as a slow network may deliver it: a CR and its LF, or the bytes of
    // one character, then arrive in different reads.
    var in = new ByteArrayInputStream(wire.getBytes(StandardCharsets.UTF_8)) {
      @Override
      public synchronized int read(byte[] b, int off, int len) {
        return super.read(b, off, Math.min(len, 1));
      }
    };
    try (var r = new SseReader(in)) {
      SseEvent e;
      while ((e = r.next()) != null) {
        out.add(e);
      }
    }
    return out;
  }
}
