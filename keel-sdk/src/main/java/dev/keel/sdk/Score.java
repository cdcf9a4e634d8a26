package dev.keel.sdk;

import java.util.Objects;

/**
 * A score to attach to a trace, an observation or a session, e.g. {@code Score.numeric(
 * "helpfulness", 0.8)} or {@code Score.bool("resolved", true).withComment("user said thanks")}.
 *
 * @param name the score's name
 * @param value a {@link Double} for NUMERIC and BOOLEAN (1 or 0), a {@link String} otherwise
 * @param dataType {@code NUMERIC}, {@code BOOLEAN}, {@code CATEGORICAL} or {@code TEXT}
 * @param comment free text, or null
 * @param configId the score config to validate against, or null
 */
public record Score(String name, Object value, String dataType, String comment,
    String configId) {

  /** Validates the name, value and type. */
  public Score {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("name must not be blank: " + name);
    }
    Objects.requireNonNull(value, "value");
    Objects.requireNonNull(dataType, "dataType");
    if (!(value instanceof Double) && !(value instanceof String)) {
      throw new IllegalArgumentException("value must be a Double or a String: " + value);
    }
    if (value instanceof Double d && !Double.isFinite(d)) {
      throw new IllegalArgumentException("value must be finite: " + d);
    }
  }

  /** A NUMERIC score. */
  public static Score numeric(String name, double value) {
    return new Score(name, value, "NUMERIC", null, null);
  }

  /** A BOOLEAN score, sent as 1 or 0. */
  public static Score bool(String name, boolean value) {
    return new Score(name, value ? 1.0 : 0.0, "BOOLEAN", null, null);
  }

  /** A CATEGORICAL score. */
  public static Score categorical(String name, String value) {
    return new Score(name, value, "CATEGORICAL", null, null);
  }

  /** A TEXT score. */
  public static Score text(String name, String value) {
    return new Score(name, value, "TEXT", null, null);
  }

  /** This score with a comment. */
  public Score withComment(String text) {
    return new Score(name, value, dataType, text, configId);
  }

  /** This score validated against the named score config. */
  public Score withConfigId(String id) {
    return new Score(name, value, dataType, comment, id);
  }
}
