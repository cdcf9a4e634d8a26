package dev.keel.tracing.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keel.core.trace.Level;
import dev.keel.core.trace.Observation;
import dev.keel.core.trace.ObservationType;
import dev.keel.core.trace.Trace;
import java.time.Instant;
import java.util.UUID;

/** Event bodies of a Langfuse batch turned into Keel's trace and observation records. */
final class EventMapper {

  private static final int MAX_NAME = 1000;

  private EventMapper() {
  }

  /** A trace-create body; the id is generated when absent, the time falls back to the event's. */
  static Trace trace(JsonNode b, String projectId, Instant eventTime) {
    String id = Fields.id(b, "id");
    Instant ts = Fields.time(b, "timestamp");
    Boolean isPublic = Fields.bool(b, "public");
    return new Trace(id == null ? UUID.randomUUID().toString() : id, projectId, name(b),
        ts == null ? eventTime : ts, Fields.text(b, "userId"), Fields.text(b, "sessionId"),
        Fields.json(b, "input"), Fields.json(b, "output"), Fields.json(b, "metadata"),
        Fields.strings(b, "tags"), Fields.text(b, "release"), Fields.text(b, "version"),
        Fields.environment(b), isPublic != null && isPublic);
  }

  /**
   * An observation create or update body. The id is required; a missing trace id is generated
   * (Langfuse does the same) and a missing start time is the event's time. EVENTs are points
   * in time, so they end where they start. An endTime or completionStartTime before the
   * startTime sent with it is refused (400 naming both fields).
   */
  static Observation observation(ObservationType type, JsonNode b, String projectId,
      Instant eventTime) {
    String id = Fields.id(b, "id");
    if (id == null) {
      throw InvalidEvent.badRequest("body.id is required on observation events");
    }
    String traceId = Fields.id(b, "traceId");
    Instant sentStart = Fields.time(b, "startTime");
    Instant start = sentStart == null ? eventTime : sentStart;
    Instant end = type == ObservationType.EVENT ? start : Fields.time(b, "endTime");
    Instant completionStart = Fields.time(b, "completionStartTime");
    if (sentStart != null) {
      notBefore("endTime", end, sentStart, "an observation cannot end before it starts");
      notBefore("completionStartTime", completionStart, sentStart,
          "its first output cannot come before the observation starts");
    }
    String promptName = Fields.text(b, "promptName");
    Integer promptVersion = Fields.integer(b, "promptVersion");
    if ((promptName == null) != (promptVersion == null)) {
      throw InvalidEvent.badRequest("promptName and promptVersion must be set together");
    }
    Level level = Fields.enumValue(b, "level", Level.class);
    return new Observation(id, traceId == null ? UUID.randomUUID().toString() : traceId,
        projectId, Fields.id(b, "parentObservationId"), type, name(b), start, end,
        completionStart, Fields.text(b, "model"),
        Fields.object(b, "modelParameters"), Fields.json(b, "input"), Fields.json(b, "output"),
        Fields.json(b, "metadata"), level, Fields.text(b, "statusMessage"),
        UsageMapper.usage(b), UsageMapper.cost(b), promptName, promptVersion,
        Fields.environment(b));
  }

  private static void notBefore(String field, Instant t, Instant start, String why) {
    if (t != null && t.isBefore(start)) {
      throw InvalidEvent.badRequest(field + " " + t + " is before startTime " + start + "; "
          + why);
    }
  }

  private static String name(JsonNode b) {
    String name = Fields.text(b, "name");
    if (name != null && name.length() > MAX_NAME) {
      throw InvalidEvent.badRequest("name must be at most " + MAX_NAME + " characters, got "
          + name.length());
    }
    return name;
  }
}
