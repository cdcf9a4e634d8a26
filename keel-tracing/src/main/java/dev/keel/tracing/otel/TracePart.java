package dev.keel.tracing.otel;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keel.core.trace.Observation;
import dev.keel.core.trace.Trace;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * What one span says about its trace. A root span gives the whole trace (its name and I/O are
 * the fallbacks for the trace's); any span may carry trace-level attributes ({@code user.id},
 * {@code session.id}, {@code langfuse.trace.*}), which the Langfuse SDKs copy onto every span.
 * Parts of one trace are combined with {@link #merge}, the root's values winning.
 */
record TracePart(
    String traceId,
    String projectId,
    boolean root,
    Instant timestamp,
    String name,
    String userId,
    String sessionId,
    JsonNode input,
    JsonNode output,
    Map<String, JsonNode> metadata,
    List<String> tags,
    String release,
    String version,
    String environment,
    boolean isPublic) {

  static TracePart of(Attributes a, Attributes resource, Observation o,
      ContentAttributes.Content content, boolean root) {
    JsonNode in = a.json("langfuse.trace.input");
    JsonNode out = a.json("langfuse.trace.output");
    String name = a.text("langfuse.trace.name");
    if (root) {
      name = name != null ? name : o.name();
      in = in != null ? in : content.input();
      out = out != null ? out : content.output();
    }
    String release = a.text("langfuse.release");
    String version = a.text("langfuse.version");
    return new TracePart(o.traceId(), o.projectId(), root, o.startTime(), name,
        a.firstText("user.id", "langfuse.user.id"),
        a.firstText("session.id", "langfuse.session.id", "gen_ai.conversation.id"), in, out,
        SpanMapper.userMetadata(a, "langfuse.trace.metadata"), tags(a),
        release != null ? release : resource.text("langfuse.release"),
        version != null ? version : resource.firstText("langfuse.version", "service.version"),
        o.environment(), isTrue(a.get("langfuse.trace.public"))
            || isTrue(a.get("langfuse.public")));
  }

  /** Combines two parts of one trace; values of a root part win over the other's. */
  TracePart merge(TracePart other) {
    TracePart first = other.root && !root ? other : this;
    TracePart second = first == this ? other : this;
    var meta = new LinkedHashMap<>(second.metadata);
    meta.putAll(first.metadata);
    var allTags = new LinkedHashSet<>(first.tags);
    allTags.addAll(second.tags);
    Instant ts = first.root ? first.timestamp
        : first.timestamp.isBefore(second.timestamp) ? first.timestamp : second.timestamp;
    return new TracePart(traceId, projectId, first.root || second.root, ts,
        or(first.name, second.name), or(first.userId, second.userId),
        or(first.sessionId, second.sessionId), or(first.input, second.input),
        or(first.output, second.output), meta, new ArrayList<>(allTags),
        or(first.release, second.release), or(first.version, second.version),
        first.environment, first.isPublic || second.isPublic);
  }

  Trace toTrace() {
    String meta = null;
    if (!metadata.isEmpty()) {
      ObjectNode m = Attributes.JSON.createObjectNode();
      metadata.forEach(m::set);
      meta = m.toString();
    }
    return new Trace(traceId, projectId, name, timestamp, userId, sessionId,
        input == null ? null : input.toString(), output == null ? null : output.toString(), meta,
        tags, release, version, environment, isPublic);
  }

  // An array value, a JSON array in a string, a comma-separated string, or one tag.
  private static List<String> tags(Attributes a) {
    JsonNode v = a.get("langfuse.trace.tags");
    v = v != null ? v : a.get("langfuse.tags");
    if (v == null || v.isNull()) {
      return List.of();
    }
    if (v.isTextual()) {
      JsonNode parsed = Attributes.parseLenient(v.asText());
      v = parsed.isArray() ? parsed : v;
    }
    var out = new ArrayList<String>();
    if (v.isArray()) {
      v.forEach(t -> addTag(out, t.asText()));
    } else {
      for (String t : v.asText().split(",")) {
        addTag(out, t);
      }
    }
    return out;
  }

  private static void addTag(List<String> out, String tag) {
    String t = tag.strip();
    if (!t.isEmpty() && !out.contains(t)) {
      out.add(t);
    }
  }

  private static boolean isTrue(JsonNode v) {
    return v != null && (v.isBoolean() ? v.booleanValue() : "true".equalsIgnoreCase(v.asText()));
  }

  private static <T> T or(T a, T b) {
    return a != null ? a : b;
  }
}
