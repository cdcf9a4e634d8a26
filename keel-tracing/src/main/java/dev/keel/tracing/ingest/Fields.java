package dev.keel.tracing.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Typed reads of event body fields. Each failure names the field and what was wrong, so the
 * per-event error tells the client what to fix.
 */
public final class Fields {

  /** Longest entity id Langfuse accepts. */
  public static final int MAX_ID_LENGTH = 800;

  private static final Pattern ENVIRONMENT = Pattern.compile("[a-z0-9_-]+");
  private static final Pattern LANGFUSE_PREFIX = Pattern.compile("^langfuse[-_]?");

  private Fields() {
  }

  /** A string field, or null when absent or null; 400 when another JSON type. */
  public static String text(JsonNode body, String field) {
    JsonNode v = body.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isTextual()) {
      throw InvalidEvent.badRequest(field + " must be a string, got "
          + v.getNodeType().name().toLowerCase(Locale.ROOT));
    }
    return v.asText();
  }

  /**
   * An entity id: 1 to 800 characters without a carriage return. A NUL character becomes
   * U+FFFD here, as the store keeps it (NUL-free binds): the id then finds its stored row, and
   * two ids that differ only there are one id within a batch too.
   */
  public static String id(JsonNode body, String field) {
    String id = text(body, field);
    if (id == null) {
      return null;
    }
    if (id.isEmpty() || id.length() > MAX_ID_LENGTH || id.indexOf('\r') >= 0) {
      throw InvalidEvent.badRequest(field + " must be 1 to " + MAX_ID_LENGTH
          + " characters without a carriage return, got " + id.length() + " characters");
    }
    return id.replace('\u0000', '\uFFFD');
  }

  /** An ISO-8601 date-time with an offset ({@code Z} or {@code +hh:mm}), or null. */
  public static Instant time(JsonNode body, String field) {
    String s = text(body, field);
    if (s == null) {
      return null;
    }
    Instant t;
    try {
      t = OffsetDateTime.parse(s, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
    } catch (DateTimeParseException e) {
      throw InvalidEvent.badRequest(field + " must be an ISO-8601 date-time with an offset"
          + " (Z or +hh:mm), got " + abbreviate(s));
    }
    // The store keeps microseconds since 1970 in a 64-bit number; a date it cannot hold would
    // fail the whole batch's transaction instead of this one event.
    if (t.isBefore(EARLIEST) || t.isAfter(LATEST)) {
      throw InvalidEvent.badRequest(field + " must be between year 1970 and 9999, got "
          + abbreviate(s));
    }
    return t;
  }

  private static final Instant EARLIEST = Instant.parse("1970-01-01T00:00:00Z");
  private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59Z");

  /** Any JSON value as raw JSON text, or null when absent or null. */
  public static String json(JsonNode body, String field) {
    JsonNode v = body.get(field);
    return v == null || v.isNull() ? null : v.toString();
  }

  /** A JSON object as raw text, or null; 400 when another JSON type. */
  public static String object(JsonNode body, String field) {
    JsonNode v = body.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isObject()) {
      throw InvalidEvent.badRequest(field + " must be an object, got "
          + v.getNodeType().name().toLowerCase(Locale.ROOT));
    }
    return v.toString();
  }

  public static Boolean bool(JsonNode body, String field) {
    JsonNode v = body.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isBoolean()) {
      throw InvalidEvent.badRequest(field + " must be true or false");
    }
    return v.asBoolean();
  }

  public static Integer integer(JsonNode body, String field) {
    JsonNode v = body.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isIntegralNumber() || !v.canConvertToInt()) {
      throw InvalidEvent.badRequest(field + " must be an integer, got " + abbreviate(v.toString()));
    }
    return v.asInt();
  }

  /** An array of strings, or null when absent. */
  public static List<String> strings(JsonNode body, String field) {
    JsonNode v = body.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isArray()) {
      throw InvalidEvent.badRequest(field + " must be an array of strings");
    }
    var out = new ArrayList<String>();
    for (JsonNode e : v) {
      if (!e.isTextual()) {
        throw InvalidEvent.badRequest(field + " must be an array of strings, got an element "
            + abbreviate(e.toString()));
      }
      out.add(e.asText());
    }
    return out;
  }

  /** A value of {@code type}'s constants (upper case), or null. */
  public static <E extends Enum<E>> E enumValue(JsonNode body, String field, Class<E> type) {
    String s = text(body, field);
    if (s == null) {
      return null;
    }
    try {
      return Enum.valueOf(type, s);
    } catch (IllegalArgumentException e) {
      throw InvalidEvent.badRequest(field + " must be one of "
          + List.of(type.getEnumConstants()) + ", got " + abbreviate(s));
    }
  }

  /**
   * Langfuse's environment rule: lower case, leading "langfuse" prefixes stripped, at most 40
   * characters of [a-z0-9_-]; anything else (or nothing) is "default".
   */
  public static String environment(JsonNode body) {
    JsonNode v = body.get("environment");
    if (v == null || !v.isTextual()) {
      return "default";
    }
    String env = v.asText().toLowerCase(Locale.ROOT);
    String before;
    do {
      before = env;
      env = LANGFUSE_PREFIX.matcher(env).replaceFirst("");
    } while (!env.equals(before));
    if (env.length() > 40) {
      env = env.substring(0, 40);
    }
    return ENVIRONMENT.matcher(env).matches() ? env : "default";
  }

  static String abbreviate(String s) {
    return s.length() > 80 ? s.substring(0, 80) + "..." : s;
  }
}
