package dev.keel.tracing.otel;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keel.core.cost.Cost;
import dev.keel.core.cost.Pricer;
import dev.keel.core.trace.Level;
import dev.keel.core.trace.Observation;
import dev.keel.core.trace.ObservationType;
import dev.keel.core.usage.Usage;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Maps one valid span (ids checked by the caller) to an observation and its contribution to
 * the trace, following reference/langfuse-compat.md section 4. Attribute problems that leave
 * the span usable (a usage value that is not a number, say) drop that attribute and add a
 * warning rather than failing the export.
 */
final class SpanMapper {

  private static final HexFormat HEX = HexFormat.of();
  private static final String LANGFUSE_SCOPE = "langfuse-sdk";

  private final Pricer pricer;

  SpanMapper(Pricer pricer) {
    this.pricer = pricer;
  }

  /** What one span contributes: its observation and its part of the trace. */
  record Mapped(Observation observation, TracePart trace) {}

  /** The resource and scope a span came with. */
  record Origin(Attributes resource, InstrumentationScope scope, Attributes scopeAttributes) {}

  Mapped map(String projectId, Span span, Origin origin, Instant now, List<String> warnings) {
    Attributes a = Attributes.of(span.getAttributesList());
    String spanId = HEX.formatHex(span.getSpanId().toByteArray());
    String label = "span " + spanId + " '" + span.getName() + "'";
    ObservationType type = TypeInference.infer(a, span.getName());
    Instant start = nanos(span.getStartTimeUnixNano());
    Instant end = nanos(span.getEndTimeUnixNano());
    start = start != null ? start : end != null ? end : now;
    end = end != null ? end : start;
    var content = ContentAttributes.of(a, span.getEventsList());
    String environment = environment(a, origin.resource());

    Usage usage = UsageAttributes.usage(a, warnings, label);
    String model = a.firstText(TypeInference.MODEL_KEYS.toArray(String[]::new));
    Cost cost = UsageAttributes.providedCost(a, warnings, label);
    Level level = level(a, span.getStatus(), warnings, label);
    String statusMessage = a.firstText("langfuse.observation.status_message");
    if (statusMessage == null && !span.getStatus().getMessage().isEmpty()) {
      statusMessage = span.getStatus().getMessage();
    }
    if (cost == null && model != null && !usage.isEmpty()) {
      Optional<Cost> priced = pricer.cost(model, usage);
      cost = priced.orElse(null);
      if (priced.isEmpty() && isModelCall(type) && level == Level.DEFAULT) {
        level = Level.WARNING;
        statusMessage = statusMessage != null ? statusMessage
            : "no price known for model " + model + "; cost unknown";
      }
    }
    boolean generation = type == ObservationType.GENERATION;
    Instant completionStart = completionStart(a, warnings, label);
    if (completionStart != null && completionStart.isBefore(start)) {
      warnings.add(label + ": langfuse.observation.completion_start_time " + completionStart
          + " is before the span's start " + start + "; ignored");
      completionStart = null;
    }
    var obs = new Observation(spanId, HEX.formatHex(span.getTraceId().toByteArray()), projectId,
        parentId(span), type, name(a, span.getName()), start, end, completionStart, model,
        modelParameters(a), text(content.input()),
        text(content.output()), metadata(a, origin), level, statusMessage, usage, cost,
        generation ? a.firstText("langfuse.observation.prompt.name", "langfuse.prompt.name")
            : null,
        generation ? promptVersion(a, warnings, label) : null, environment);
    return new Mapped(promptPairCheck(obs, warnings, label),
        TracePart.of(a, origin.resource(), obs, content, isRoot(span, a)));
  }

  private static boolean isModelCall(ObservationType t) {
    return t == ObservationType.GENERATION || t == ObservationType.EMBEDDING;
  }

  static boolean isRoot(Span span, Attributes a) {
    JsonNode asRoot = a.get("langfuse.internal.as_root");
    boolean forced = asRoot != null && "true".equalsIgnoreCase(asRoot.asText());
    return forced || parentId(span) == null;
  }

  // An all-zero parent id is OpenTelemetry's "invalid span id": the span has no parent.
  static String parentId(Span span) {
    byte[] p = span.getParentSpanId().toByteArray();
    for (byte b : p) {
      if (b != 0) {
        return HEX.formatHex(p);
      }
    }
    return null;
  }

  private static String name(Attributes a, String spanName) {
    String n = a.firstText("gen_ai.tool.name", "logfire.msg", "ai.toolCall.name");
    return n != null ? n : spanName.isEmpty() ? null : spanName;
  }

  static Instant nanos(long n) {
    return n == 0 ? null : Instant.ofEpochSecond(Long.divideUnsigned(n, 1_000_000_000L),
        Long.remainderUnsigned(n, 1_000_000_000L));
  }

  private static Level level(Attributes a, Status status, List<String> warnings, String span) {
    String l = a.text("langfuse.observation.level");
    if (l != null) {
      try {
        return Level.valueOf(l.strip().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        warnings.add(span + ": langfuse.observation.level '" + l + "' is not one of "
            + List.of(Level.values()) + "; ignored");
      }
    }
    return status.getCode() == Status.StatusCode.STATUS_CODE_ERROR ? Level.ERROR : Level.DEFAULT;
  }

  private static Instant completionStart(Attributes a, List<String> warnings, String span) {
    JsonNode v = a.json("langfuse.observation.completion_start_time");
    if (v == null) {
      return null;
    }
    try {
      return OffsetDateTime.parse(v.asText().strip()).toInstant();
    } catch (DateTimeParseException e) {
      warnings.add(span + ": langfuse.observation.completion_start_time '" + v.asText()
          + "' is not an ISO-8601 time with an offset; ignored");
      return null;
    }
  }

  private static Integer promptVersion(Attributes a, List<String> warnings, String span) {
    String v = a.firstText("langfuse.observation.prompt.version", "langfuse.prompt.version");
    if (v == null) {
      return null;
    }
    try {
      return Integer.valueOf(v.strip());
    } catch (NumberFormatException e) {
      warnings.add(span + ": prompt version '" + v + "' is not an integer; prompt link ignored");
      return null;
    }
  }

  // Langfuse links a prompt only when both name and version are known.
  private static Observation promptPairCheck(Observation o, List<String> warnings, String span) {
    if ((o.promptName() == null) == (o.promptVersion() == null)) {
      return o;
    }
    warnings.add(span + ": prompt name and version must come together; prompt link ignored");
    return new Observation(o.id(), o.traceId(), o.projectId(), o.parentObservationId(),
        o.type(), o.name(), o.startTime(), o.endTime(), o.completionStartTime(), o.model(),
        o.modelParameters(), o.input(), o.output(), o.metadata(), o.level(), o.statusMessage(),
        o.usage(), o.cost(), null, null, o.environment());
  }

  private static String modelParameters(Attributes a) {
    ObjectNode params = Attributes.JSON.createObjectNode();
    JsonNode given = a.json("langfuse.observation.model.parameters");
    if (given != null && given.isObject()) {
      given.fields().forEachRemaining(e -> params.set(e.getKey(), scalar(e.getValue())));
      return params.toString();
    }
    JsonNode invocation = a.json("llm.invocation_parameters");
    if (invocation != null && invocation.isObject()) {
      invocation.fields().forEachRemaining(e -> params.set(e.getKey(), scalar(e.getValue())));
    }
    a.withPrefix("llm.invocation_parameters.").forEach((k, v) -> params.set(k, scalar(v)));
    a.withPrefix("gen_ai.request.").forEach((k, v) -> {
      if (!k.equals("model")) {
        params.set(k, scalar(v));
      }
    });
    return params.isEmpty() ? null : params.toString();
  }

  private static JsonNode scalar(JsonNode v) {
    return v.isContainerNode() ? Attributes.JSON.getNodeFactory().textNode(v.toString()) : v;
  }

  private static String metadata(Attributes a, Origin origin) {
    ObjectNode m = Attributes.JSON.createObjectNode();
    String scopeName = origin.scope().getName();
    if (!LANGFUSE_SCOPE.equals(scopeName)) {
      ObjectNode attrs = m.putObject("attributes");
      a.asMap().forEach((k, v) -> {
        if (!k.startsWith("langfuse.") && !ContentAttributes.KEYS.contains(k)) {
          attrs.set(k, v);
        }
      });
    }
    ObjectNode resource = m.putObject("resourceAttributes");
    origin.resource().asMap().forEach(resource::set);
    ObjectNode scope = m.putObject("scope");
    scope.put("name", scopeName).put("version", origin.scope().getVersion());
    ObjectNode scopeAttrs = scope.putObject("attributes");
    origin.scopeAttributes().asMap().forEach(scopeAttrs::set);
    userMetadata(a, "langfuse.observation.metadata").forEach(m::set);
    userMetadata(a, "langfuse.metadata").forEach(m::set);
    return m.toString();
  }

  /** A JSON object under {@code key} merged with the flattened {@code key.<name>} entries. */
  static Map<String, JsonNode> userMetadata(Attributes a, String key) {
    var out = new java.util.LinkedHashMap<String, JsonNode>();
    JsonNode whole = a.json(key);
    if (whole != null && whole.isObject()) {
      whole.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue()));
    }
    a.withPrefix(key + ".").forEach((k, v) -> out.put(k, v.isTextual()
        ? Attributes.parseLenient(v.asText()) : v));
    return out;
  }

  static String environment(Attributes a, Attributes resource) {
    String[] keys = {"langfuse.environment", "deployment.environment.name",
        "deployment.environment"};
    String raw = a.firstText(keys);
    raw = raw != null ? raw : resource.firstText(keys);
    if (raw == null) {
      return "default";
    }
    String e = raw.strip().toLowerCase(Locale.ROOT);
    while (e.startsWith("langfuse")) {
      e = e.substring("langfuse".length());
      if (e.startsWith("-") || e.startsWith("_")) {
        e = e.substring(1);
      }
    }
    e = e.length() > 40 ? e.substring(0, 40) : e;
    return e.matches("[a-z0-9_-]+") ? e : "default";
  }

  private static String text(JsonNode n) {
    return n == null ? null : n.toString();
  }
}
