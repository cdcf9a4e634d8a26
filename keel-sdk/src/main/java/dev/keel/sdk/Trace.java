package dev.keel.sdk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.Map;

/**
 * One unit of application work (a request, a conversation turn, a job), holding nested
 * observations. Made by {@link KeelClient#trace(String)}; current on the creating thread until
 * it ends.
 *
 * <p>The trace is sent when created (id, name, time, environment, release). Fields set later are
 * sent when a child observation ends and when the trace ends; after the end each change is sent
 * at once. Keel merges them on the trace id: metadata deep-merges and tags add up.
 */
public final class Trace extends Node implements TraceNode {

  private ObjectNode pending = Json.object();

  Trace(KeelClient client, String id, String name) {
    super(client, id, id);
    ObjectNode first = idBody();
    first.put("name", name);
    first.put("timestamp", Json.time(client.now()));
    first.put("environment", client.settings().environment());
    if (client.settings().release() != null) {
      first.put("release", client.settings().release());
    }
    client.emit("trace-create", first);
  }

  /** Sets the user the trace ran for. */
  public Trace userId(String userId) {
    return set("userId", text(userId));
  }

  /** Sets the session (conversation) the trace belongs to. */
  public Trace sessionId(String sessionId) {
    return set("sessionId", text(sessionId));
  }

  /** Renames the trace. */
  public Trace name(String name) {
    return set("name", text(name));
  }

  /** Sets the release, overriding the client's ({@code KEEL_RELEASE}). */
  public Trace release(String release) {
    return set("release", text(release));
  }

  /** Sets the version of the application code. */
  public Trace version(String version) {
    return set("version", text(version));
  }

  /** Adds tags; Keel keeps the union of every tag sent for the trace. */
  public Trace tags(String... tags) {
    ArrayNode list = Json.NODES.arrayNode();
    for (String tag : tags == null ? new String[0] : tags) {
      if (tag != null && !tag.isBlank()) {
        list.add(tag);
      }
    }
    synchronized (this) {
      if (!isEnded() && pending.get("tags") instanceof ArrayNode earlier) {
        earlier.addAll(list);
        return this;
      }
    }
    return set("tags", list);
  }

  /** Marks the trace public (readable by link) or not. */
  public Trace setPublic(boolean isPublic) {
    return set("public", BooleanNode.valueOf(isPublic));
  }

  @Override
  public Trace input(Object input) {
    return set("input", Json.toNode(input));
  }

  @Override
  public Trace output(Object output) {
    return set("output", Json.toNode(output));
  }

  @Override
  public Trace metadata(String key, Object value) {
    return key == null ? this : metadata(Map.of(key, value == null ? "" : value));
  }

  @Override
  public Trace metadata(Map<String, ?> entries) {
    ObjectNode add = Json.object();
    if (entries != null) {
      entries.forEach((k, v) -> add.set(String.valueOf(k), Json.toNode(v)));
    }
    synchronized (this) {
      if (!isEnded()) {
        pending.withObject("metadata").setAll(add);
        return this;
      }
    }
    return set("metadata", add);
  }

  @Override
  public Trace score(Score score) {
    client.score(score, traceId(), null, null);
    return this;
  }

  @Override
  public void end() {
    if (!markEnded()) {
      return;
    }
    sendPending();
    leaveCurrent();
  }

  /** Whether an output was set and not yet sent, so an owned step may not overwrite it. */
  synchronized boolean hasPendingOutput() {
    return pending.has("output");
  }

  /** Sends the fields set since the last send, if any. */
  void sendPending() {
    ObjectNode body;
    synchronized (this) {
      if (pending.isEmpty()) {
        return;
      }
      body = idBody().setAll(pending);
      pending = Json.object();
    }
    client.emit("trace-create", body);
  }

  @Override
  Trace trace() {
    return this;
  }

  @Override
  String parentObservationId() {
    return null;
  }

  /** Records a field; a null value is ignored, since Keel keeps what was sent before. */
  private Trace set(String field, JsonNode value) {
    if (value == null || value.isNull()) {
      return this;
    }
    synchronized (this) {
      if (!isEnded()) {
        pending.set(field, value);
        return this;
      }
    }
    ObjectNode body = idBody();
    body.set(field, value);
    client.emit("trace-create", body);
    return this;
  }

  private ObjectNode idBody() {
    ObjectNode body = Json.object();
    body.put("id", id());
    return body;
  }

  private static JsonNode text(String value) {
    return value == null ? Json.NODES.nullNode() : TextNode.valueOf(value);
  }
}
