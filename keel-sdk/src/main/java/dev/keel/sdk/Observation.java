package dev.keel.sdk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One step of a trace: a span, a generation (model call), an agent, tool or retriever step, or
 * a point-in-time event. Made by {@link TraceNode#span} and its siblings; call {@link #end()} or
 * use try-with-resources.
 *
 * <p>An observation is sent once, when it ends, with everything set on it, so an observation
 * never ended is never sent. Changes after the end are sent at once as update events. Model,
 * usage, cost and prompt apply to every type except SPAN and EVENT, where they are ignored.
 */
public final class Observation extends Node implements TraceNode {

  private final Trace trace;
  private final String parentId;
  private final ObservationType type;
  private final String name;
  private final Instant start;
  private ObjectNode pending = Json.object();
  private volatile boolean ownsTrace;

  Observation(KeelClient client, Trace trace, String parentId, ObservationType type,
      String name) {
    super(client, trace.traceId(), KeelClient.newId());
    this.trace = trace;
    this.parentId = parentId;
    this.type = type == null ? ObservationType.SPAN : type;
    this.name = name == null ? "unnamed" : name;
    this.start = client.now();
  }

  /** This observation's type. */
  public ObservationType type() {
    return type;
  }

  @Override
  public Observation input(Object input) {
    return set("input", Json.toNode(input));
  }

  @Override
  public Observation output(Object output) {
    return set("output", Json.toNode(output));
  }

  @Override
  public Observation metadata(String key, Object value) {
    return key == null ? this : metadata(Map.of(key, value == null ? "" : value));
  }

  @Override
  public Observation metadata(Map<String, ?> entries) {
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

  /** Sets the level; ERROR and WARNING mark failed or degraded steps. */
  public Observation level(Level level) {
    return set("level", level == null ? null : TextNode.valueOf(level.name()));
  }

  /** Sets a status message, usually why the step failed. */
  public Observation statusMessage(String message) {
    return set("statusMessage", message == null ? null : TextNode.valueOf(message));
  }

  /** Records a failure: level ERROR and the exception's class and message. */
  public Observation recordError(Throwable error) {
    if (error == null) {
      return this;
    }
    level(Level.ERROR);
    String message = error.getClass().getName() + ": " + Json.safeString(error.getMessage());
    return statusMessage(Warnings.truncate(message, 1000));
  }

  /** Sets the version of the code or prompt this step ran. */
  public Observation version(String version) {
    return set("version", version == null ? null : TextNode.valueOf(version));
  }

  /** Sets the model name (GENERATION-like types). */
  public Observation model(String model) {
    return generationField("model", model == null ? null : TextNode.valueOf(model));
  }

  /** Sets one model parameter such as {@code temperature} or {@code max_tokens}. */
  public Observation modelParameter(String key, Object value) {
    return key == null || value == null ? this : modelParameters(Map.of(key, value));
  }

  /** Sets model parameters, merged with those set before. */
  public Observation modelParameters(Map<String, ?> parameters) {
    if (parameters == null || !type.hasGenerationFields()) {
      return this;
    }
    ObjectNode add = Json.object();
    parameters.forEach((k, v) -> add.set(String.valueOf(k), Json.toNode(v)));
    synchronized (this) {
      if (!isEnded()) {
        pending.withObject("modelParameters").setAll(add);
        return this;
      }
    }
    return set("modelParameters", add);
  }

  /**
   * Sets token usage under Keel's (Langfuse's) usage keys: {@code input}, {@code output},
   * {@code input_cached_tokens}, {@code output_reasoning_tokens}, {@code total} and the rest.
   * Negative and null counts are left out.
   */
  public Observation usage(Map<String, ? extends Number> usageDetails) {
    ObjectNode details = Json.object();
    if (usageDetails != null) {
      usageDetails.forEach((k, v) -> {
        if (k != null && v != null && v.longValue() >= 0) {
          details.set(k, LongNode.valueOf(v.longValue()));
        }
      });
    }
    return details.isEmpty() ? this : generationField("usageDetails", details);
  }

  /** Sets input and output tokens, with their sum as {@code total}. */
  public Observation usage(long inputTokens, long outputTokens) {
    Map<String, Long> details = new LinkedHashMap<>();
    details.put("input", inputTokens);
    details.put("output", outputTokens);
    details.put("total", inputTokens + outputTokens);
    return usage(details);
  }

  /**
   * Sets cost in USD under the usage keys plus {@code total}. A cost sent by the application
   * wins over the one Keel would compute from its price table.
   */
  public Observation cost(Map<String, BigDecimal> costDetails) {
    ObjectNode details = Json.object();
    if (costDetails != null) {
      costDetails.forEach((k, v) -> {
        if (k != null && v != null && v.signum() >= 0) {
          details.put(k, v);
        }
      });
    }
    return details.isEmpty() ? this : generationField("costDetails", details);
  }

  /** Sets the total cost in USD. */
  public Observation totalCost(BigDecimal usd) {
    return usd == null ? this : cost(Map.of("total", usd));
  }

  /** Records when the first token arrived, for time to first token. */
  public Observation completionStartTime(Instant at) {
    return generationField("completionStartTime",
        at == null ? null : TextNode.valueOf(Json.time(at)));
  }

  /** Records now as the time the first token arrived. */
  public Observation markCompletionStart() {
    return completionStartTime(client.now());
  }

  /** Links the prompt version this generation used; a fallback prompt is never linked. */
  public Observation prompt(Prompt prompt) {
    if (prompt == null || prompt.isFallback() || !type.hasGenerationFields()) {
      return this;
    }
    generationField("promptName", TextNode.valueOf(prompt.name()));
    return generationField("promptVersion", LongNode.valueOf(prompt.version()));
  }

  @Override
  public Observation score(Score score) {
    client.score(score, traceId(), id(), null);
    return this;
  }

  @Override
  public void end() {
    if (!markEnded()) {
      return;
    }
    ObjectNode body = identity();
    body.put("name", name);
    if (parentId != null) {
      body.put("parentObservationId", parentId);
    }
    body.put("startTime", Json.time(start));
    if (type != ObservationType.EVENT) {
      body.put("endTime", Json.time(client.now()));
    }
    body.put("environment", client.settings().environment());
    synchronized (this) {
      body.setAll(pending);
      pending = Json.object();
    }
    trace.sendPending();
    client.emit(type.createEvent(), body);
    leaveCurrent();
    if (ownsTrace) {
      endOwnedTrace(body);
    }
  }

  /** Makes ending this observation also end its trace, which was made just for it. */
  void ownTrace() {
    ownsTrace = true;
  }

  @Override
  Trace trace() {
    return trace;
  }

  @Override
  String parentObservationId() {
    return id();
  }

  private void endOwnedTrace(ObjectNode body) {
    if (body.has("input")) {
      trace.input(body.get("input"));
    }
    if (body.has("output") && !trace.hasPendingOutput()) {
      trace.output(body.get("output"));
    }
    trace.end();
  }

  private Observation generationField(String field, JsonNode value) {
    return type.hasGenerationFields() ? set(field, value) : this;
  }

  /** Records a field; a null value is ignored, since Keel keeps what was sent before. */
  private Observation set(String field, JsonNode value) {
    if (value == null || value.isNull()) {
      return this;
    }
    synchronized (this) {
      if (!isEnded()) {
        pending.set(field, value);
        return this;
      }
    }
    ObjectNode body = identity();
    body.set(field, value);
    client.emit(type.updateEvent(), body);
    return this;
  }

  private ObjectNode identity() {
    ObjectNode body = Json.object();
    body.put("id", id());
    body.put("traceId", traceId());
    return body;
  }
}
