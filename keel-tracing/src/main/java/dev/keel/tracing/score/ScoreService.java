package dev.keel.tracing.score;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keel.store.Score;
import dev.keel.store.ScoreConfig;
import dev.keel.store.ScoreStore;
import dev.keel.tracing.ingest.Fields;
import dev.keel.tracing.ingest.InvalidEvent;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Scores and score configs validated by Langfuse's rules (reference section 7), whether they
 * come alone ({@code POST /api/public/scores}) or inside an ingestion batch. Failures are
 * {@link InvalidEvent}s with a 400 that names the field.
 */
public final class ScoreService {

  private static final int MAX_TEXT = 500;
  private static final Pattern CONFIG_NAME = Pattern.compile("[A-Za-z0-9_ .()-]{1,35}");

  private final ScoreStore store;
  private final Clock clock;

  public ScoreService(ScoreStore store, Clock clock) {
    this.store = store;
    this.clock = clock;
  }

  /** A score from a ScoreBody; the id is generated and the time is now when absent. */
  public Score fromBody(String projectId, JsonNode b, Instant fallbackTime) {
    return fromBody(projectId, b, fallbackTime, null);
  }

  /**
   * A score from the body of an ingestion event: without a body id, the score's id is derived
   * from {@code eventId}, so a resent batch upserts the same score instead of adding another.
   */
  public Score fromBody(String projectId, JsonNode b, Instant fallbackTime, String eventId) {
    String id = Fields.id(b, "id");
    if (id == null && eventId != null) {
      id = idOfEvent(eventId);
    }
    Instant ts = Fields.time(b, "timestamp");
    String traceId = Fields.id(b, "traceId");
    String observationId = Fields.id(b, "observationId");
    String sessionId = Fields.id(b, "sessionId");
    String runId = Fields.id(b, "datasetRunId");
    if (traceId == null && sessionId == null && runId == null) {
      throw InvalidEvent.badRequest("a score needs traceId, sessionId or datasetRunId");
    }
    if (observationId != null && traceId == null) {
      throw InvalidEvent.badRequest("observationId needs the traceId of its trace");
    }
    String configId = Fields.text(b, "configId");
    Score.Source source = Fields.enumValue(b, "source", Score.Source.class);
    if (source == Score.Source.ANNOTATION && configId == null) {
      throw InvalidEvent.badRequest("source ANNOTATION needs a configId");
    }
    ScoreConfig config = configId == null ? null : config(projectId, configId);
    Typed typed = typed(b, config);
    return new Score(id == null ? UUID.randomUUID().toString() : id, projectId, traceId,
        observationId, sessionId, runId, typed.name(), typed.value(), typed.stringValue(),
        typed.type(), source, Fields.text(b, "comment"), Fields.json(b, "metadata"), configId,
        Fields.text(b, "queueId"), Fields.environment(b), ts == null ? fallbackTime : ts);
  }

  /** The score id of an ingestion event without a body id: a name-based UUID of the event id. */
  public static String idOfEvent(String eventId) {
    return UUID.nameUUIDFromBytes(("keel-score-event:" + eventId)
        .getBytes(StandardCharsets.UTF_8)).toString();
  }

  /** Stores a config from a request body; BOOLEAN configs get False = 0 and True = 1. */
  public ScoreConfig createConfig(String projectId, JsonNode b) {
    String name = Fields.text(b, "name");
    if (name == null || !CONFIG_NAME.matcher(name).matches()) {
      throw InvalidEvent.badRequest("name must be 1 to 35 letters, digits, spaces or _ . ( ) -");
    }
    Score.DataType type = Fields.enumValue(b, "dataType", Score.DataType.class);
    if (type == null) {
      throw InvalidEvent.badRequest("dataType is required: NUMERIC, BOOLEAN, CATEGORICAL or TEXT");
    }
    Double min = number(b, "minValue");
    Double max = number(b, "maxValue");
    if ((min != null || max != null) && type != Score.DataType.NUMERIC) {
      throw InvalidEvent.badRequest("minValue and maxValue apply to NUMERIC configs only");
    }
    if (min != null && max != null && min > max) {
      throw InvalidEvent.badRequest("minValue must not exceed maxValue: " + min + " > " + max);
    }
    var config = new ScoreConfig(UUID.randomUUID().toString(), projectId, name, type, min, max,
        categories(b, type), Fields.text(b, "description"), false, clock.instant(), null);
    store.createConfig(config);
    return config;
  }

  private ScoreConfig config(String projectId, String configId) {
    ScoreConfig c = store.findConfig(projectId, configId).orElseThrow(() ->
        InvalidEvent.badRequest("configId names no score config of this project: "
            + configId));
    if (c.archived()) {
      throw InvalidEvent.badRequest("score config " + configId + " is archived");
    }
    return c;
  }

  private record Typed(String name, Score.DataType type, Double value, String stringValue) {
  }

  private static Typed typed(JsonNode b, ScoreConfig config) {
    JsonNode v = b.get("value");
    if (v == null || v.isNull()) {
      throw InvalidEvent.badRequest("value is required: a number or a string");
    }
    Score.DataType type = Fields.enumValue(b, "dataType", Score.DataType.class);
    if (config != null && type != null && type != config.dataType()) {
      throw InvalidEvent.badRequest("dataType " + type + " does not match the config's "
          + config.dataType());
    }
    type = config != null ? config.dataType()
        : type != null ? type : v.isNumber() || v.isBoolean() ? Score.DataType.NUMERIC
        : Score.DataType.CATEGORICAL;
    String name = config != null ? config.name() : Fields.text(b, "name");
    if (name == null || name.isBlank()) {
      throw InvalidEvent.badRequest("name is required and must not be empty");
    }
    return switch (type) {
      case NUMERIC -> new Typed(name, type, numeric(v, config), null);
      case BOOLEAN -> bool(name, v);
      case CATEGORICAL -> categorical(name, v, config);
      case TEXT -> text(name, v);
    };
  }

  private static double numeric(JsonNode v, ScoreConfig c) {
    if (!v.isNumber()) {
      throw InvalidEvent.badRequest("value of a NUMERIC score must be a number");
    }
    double d = finite(v, "value");
    if (c != null && ((c.minValue() != null && d < c.minValue())
        || (c.maxValue() != null && d > c.maxValue()))) {
      throw InvalidEvent.badRequest("value " + d + " is outside the config's range ["
          + c.minValue() + ", " + c.maxValue() + "]");
    }
    return d;
  }

  private static Typed bool(String name, JsonNode v) {
    double d = v.isBoolean() ? (v.asBoolean() ? 1 : 0) : v.isNumber() ? v.asDouble() : -1;
    if (d != 0 && d != 1) {
      throw InvalidEvent.badRequest("value of a BOOLEAN score must be 0 or 1");
    }
    return new Typed(name, Score.DataType.BOOLEAN, d, d == 1 ? "True" : "False");
  }

  private static Typed categorical(String name, JsonNode v, ScoreConfig c) {
    if (!v.isTextual()) {
      throw InvalidEvent.badRequest("value of a CATEGORICAL score must be a string label");
    }
    if (c == null) {
      return new Typed(name, Score.DataType.CATEGORICAL, null, v.asText());
    }
    return c.categories().stream().filter(cat -> cat.label().equals(v.asText())).findFirst()
        .map(cat -> new Typed(name, Score.DataType.CATEGORICAL, cat.value(), cat.label()))
        .orElseThrow(() -> InvalidEvent.badRequest("value " + v.asText()
            + " is not a category of the config: " + c.categories().stream()
                .map(ScoreConfig.Category::label).toList()));
  }

  private static Typed text(String name, JsonNode v) {
    if (!v.isTextual() || v.asText().isEmpty() || v.asText().length() > MAX_TEXT) {
      throw InvalidEvent.badRequest("value of a TEXT score must be a string of 1 to " + MAX_TEXT
          + " characters");
    }
    return new Typed(name, Score.DataType.TEXT, null, v.asText());
  }

  private static Double number(JsonNode b, String field) {
    JsonNode v = b.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isNumber()) {
      throw InvalidEvent.badRequest(field + " must be a number");
    }
    return finite(v, field);
  }

  // A number too large for a double (1e400) reads as Infinity; neither it nor NaN is a score.
  private static double finite(JsonNode v, String field) {
    double d = v.asDouble();
    if (!Double.isFinite(d)) {
      String text = v.asText();
      throw InvalidEvent.badRequest(field + " must be a finite number, got "
          + (text.length() > 40 ? text.substring(0, 40) + "..." : text));
    }
    return d;
  }

  private static List<ScoreConfig.Category> categories(JsonNode b, Score.DataType type) {
    JsonNode cats = b.get("categories");
    boolean given = cats != null && !cats.isNull();
    if (type == Score.DataType.BOOLEAN) {
      if (given) {
        throw InvalidEvent.badRequest("categories of a BOOLEAN config are fixed; leave them out");
      }
      return List.of(new ScoreConfig.Category(0, "False"), new ScoreConfig.Category(1, "True"));
    }
    if (type != Score.DataType.CATEGORICAL) {
      if (given) {
        throw InvalidEvent.badRequest("categories apply to CATEGORICAL configs only");
      }
      return List.of();
    }
    if (!given || !cats.isArray() || cats.isEmpty()) {
      throw InvalidEvent.badRequest("a CATEGORICAL config needs categories: [{value, label}]");
    }
    var out = new ArrayList<ScoreConfig.Category>();
    var labels = new HashSet<String>();
    for (JsonNode c : cats) {
      JsonNode label = c.get("label");
      JsonNode value = c.get("value");
      if (label == null || !label.isTextual() || value == null || !value.isNumber()) {
        throw InvalidEvent.badRequest("each category needs a string label and a number value");
      }
      if (!labels.add(label.asText())) {
        throw InvalidEvent.badRequest("category label appears twice: " + label.asText());
      }
      out.add(new ScoreConfig.Category(finite(value, "categories[].value"), label.asText()));
    }
    return out;
  }
}
