package dev.keel.server.ui;

import dev.keel.core.trace.QueryTime;
import io.helidon.webserver.http.ServerRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.Map;

/** Query and form parameters of a UI request, blank values read as absent. */
final class UiRequest {

  /** Forms in the UI are small; anything larger is not one of ours. */
  static final int MAX_FORM_BYTES = 64 * 1024;

  private final ServerRequest req;
  private final Map<String, String> form;

  private UiRequest(ServerRequest req, Map<String, String> form) {
    this.req = req;
    this.form = form;
  }

  static UiRequest of(ServerRequest req) {
    return new UiRequest(req, Map.of());
  }

  static UiRequest withForm(ServerRequest req) {
    return new UiRequest(req, parseForm(readBody(req)));
  }

  ServerRequest raw() {
    return req;
  }

  String path(String name) {
    return req.path().pathParameters().get(name);
  }

  /** A query parameter, else a form field; null when absent or blank. */
  String param(String name) {
    String v = req.query().contains(name) ? req.query().get(name) : form.get(name);
    return v == null || v.isBlank() ? null : v.strip();
  }

  int page() {
    return intParam("page", 1, 1, 1_000_000);
  }

  int intParam(String name, int dflt, int min, int max) {
    String v = param(name);
    if (v == null) {
      return dflt;
    }
    try {
      int n = Integer.parseInt(v);
      if (n < min || n > max) {
        throw new IllegalArgumentException(name + " must be between " + min + " and " + max
            + ": " + n);
      }
      return n;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be a whole number: " + v);
    }
  }

  /**
   * A day ({@code 2026-01-31}, start of day UTC; the next day's start for {@code endOfDay}) or
   * an ISO instant, in the years 1970 to 9999; null when absent.
   */
  Instant time(String name, boolean endOfDay) {
    String v = param(name);
    if (v == null) {
      return null;
    }
    try {
      if (v.length() == 10) {
        LocalDate d = LocalDate.parse(v);
        QueryTime.inRange(name, d.atStartOfDay().toInstant(ZoneOffset.UTC), v);
        return (endOfDay ? d.plusDays(1) : d).atStartOfDay().toInstant(ZoneOffset.UTC);
      }
      return QueryTime.inRange(name, Instant.parse(v), v);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(name + " must be a date like 2026-01-31 or an ISO"
          + " time: " + v);
    }
  }

  /**
   * The {@code from} and {@code to} filters ({@link #time}, to through the end of its day), in
   * that order; a from after to is an error naming both rather than an empty page.
   */
  Instant[] fromTo() {
    Instant from = time("from", false);
    QueryTime.ordered("from", from, "to", time("to", false));
    return new Instant[] {from, time("to", true)};
  }

  private static byte[] readBody(ServerRequest req) {
    try (InputStream in = req.content().inputStream()) {
      byte[] b = in.readNBytes(MAX_FORM_BYTES + 1);
      if (b.length > MAX_FORM_BYTES) {
        throw new IllegalArgumentException("form must be at most " + MAX_FORM_BYTES
            + " bytes: " + b.length + " or more");
      }
      return b;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Map<String, String> parseForm(byte[] body) {
    Map<String, String> m = new HashMap<>();
    String s = new String(body, StandardCharsets.UTF_8);
    for (String pair : s.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String k = eq < 0 ? pair : pair.substring(0, eq);
      String v = eq < 0 ? "" : pair.substring(eq + 1);
      try {
        m.putIfAbsent(URLDecoder.decode(k, StandardCharsets.UTF_8),
            URLDecoder.decode(v, StandardCharsets.UTF_8));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("form field is not URL-encoded: " + k);
      }
    }
    return m;
  }
}
