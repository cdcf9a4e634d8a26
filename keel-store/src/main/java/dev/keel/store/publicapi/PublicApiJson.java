package dev.keel.store.publicapi;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.keel.core.cost.Cost;
import dev.keel.core.trace.Observation;
import dev.keel.core.trace.Trace;
import dev.keel.core.usage.Usage;
import dev.keel.store.DailyMetrics;
import dev.keel.store.DailyQuery;
import dev.keel.store.ObservationQuery;
import dev.keel.store.Page;
import dev.keel.store.Score;
import dev.keel.store.ScoreConfig;
import dev.keel.store.SessionSummary;
import dev.keel.store.TraceQuery;
import dev.keel.store.TraceSummary;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;

/**
 * Langfuse public API shapes ({@code /api/public/traces}, {@code /observations},
 * {@code /metrics/daily}) rendered from store records, and the query parameters of those
 * endpoints parsed into store queries. Field names follow Langfuse so its clients read them.
 */
public final class PublicApiJson {

  /** Metadata key set on a trace whose total cost leaves out calls with an unknown price. */
  public static final String COST_INCOMPLETE_KEY = "keel_cost_incomplete";

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  // Langfuse answers with millisecond UTC timestamps; its clients parse exactly this form.
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  private PublicApiJson() {
  }

  /** A trace for lists, without observation ids; see {@link #trace(TraceSummary, List)}. */
  public static ObjectNode trace(TraceSummary s) {
    return trace(s, List.of());
  }

  /** A trace for lists, with the ids of its observations. */
  public static ObjectNode trace(TraceSummary s, List<String> observationIds) {
    ObjectNode n = traceFields(s);
    ArrayNode ids = n.putArray("observations");
    observationIds.forEach(ids::add);
    return n;
  }

  /** A trace for lists, with the ids of its observations and of its scores. */
  public static ObjectNode trace(TraceSummary s, List<String> observationIds,
      List<Score> scores) {
    ObjectNode n = trace(s, observationIds);
    ArrayNode ids = n.putArray("scores");
    scores.forEach(sc -> ids.add(sc.id()));
    return n;
  }

  /** A single trace with its observations as full objects, as {@code GET /traces/{id}}. */
  public static ObjectNode traceWithObservations(TraceSummary s, List<Observation> observations) {
    ObjectNode n = traceFields(s);
    ArrayNode list = n.putArray("observations");
    observations.forEach(o -> list.add(observation(o)));
    return n;
  }

  /** A single trace with its observations and scores as full objects. */
  public static ObjectNode traceWithObservations(TraceSummary s, List<Observation> observations,
      List<Score> scores) {
    ObjectNode n = traceWithObservations(s, observations);
    ArrayNode list = n.putArray("scores");
    scores.forEach(sc -> list.add(score(sc)));
    return n;
  }

  /** A score in Langfuse's Score shape. */
  public static ObjectNode score(Score s) {
    ObjectNode n = NODES.objectNode();
    n.put("id", s.id());
    n.put("projectId", s.projectId());
    n.put("traceId", s.traceId());
    n.put("sessionId", s.sessionId());
    n.put("observationId", s.observationId());
    n.put("datasetRunId", s.datasetRunId());
    n.put("name", s.name());
    n.put("source", s.source().name());
    n.put("timestamp", time(s.timestamp()));
    n.put("createdAt", time(s.timestamp()));
    n.put("updatedAt", time(s.timestamp()));
    n.putNull("authorUserId");
    n.put("comment", s.comment());
    n.set("metadata", json(s.metadata()));
    n.put("configId", s.configId());
    n.put("queueId", s.queueId());
    n.put("environment", s.environment());
    n.put("dataType", s.dataType().name());
    if (s.value() == null) {
      n.putNull("value");
    } else {
      n.put("value", s.value());
    }
    n.put("stringValue", s.stringValue());
    return n;
  }

  /** A score config in Langfuse's ScoreConfig shape. */
  public static ObjectNode scoreConfig(ScoreConfig c) {
    ObjectNode n = NODES.objectNode();
    n.put("id", c.id());
    n.put("projectId", c.projectId());
    n.put("name", c.name());
    n.put("dataType", c.dataType().name());
    n.put("isArchived", c.archived());
    n.put("minValue", c.minValue());
    n.put("maxValue", c.maxValue());
    if (c.dataType() == Score.DataType.CATEGORICAL || c.dataType() == Score.DataType.BOOLEAN) {
      ArrayNode cats = n.putArray("categories");
      c.categories().forEach(cat -> cats.addObject().put("value", cat.value())
          .put("label", cat.label()));
    } else {
      n.putNull("categories");
    }
    n.put("description", c.description());
    n.put("createdAt", time(c.createdAt()));
    n.put("updatedAt", time(c.updatedAt()));
    return n;
  }

  /** A session: {@code {id, createdAt, projectId, environment}}. */
  public static ObjectNode session(SessionSummary s) {
    ObjectNode n = NODES.objectNode();
    n.put("id", s.id());
    n.put("createdAt", time(s.createdAt()));
    n.put("projectId", s.projectId());
    n.put("environment", s.environment());
    return n;
  }

  /** An observation in Langfuse's ObservationsView shape; latencies are in seconds. */
  public static ObjectNode observation(Observation o) {
    ObjectNode n = NODES.objectNode();
    n.put("id", o.id());
    n.put("traceId", o.traceId());
    n.put("projectId", o.projectId());
    n.put("type", o.type().name());
    n.put("name", o.name());
    n.put("startTime", time(o.startTime()));
    n.put("endTime", time(o.endTime()));
    n.put("completionStartTime", time(o.completionStartTime()));
    n.put("model", o.model());
    n.set("modelParameters", json(o.modelParameters()));
    n.set("input", json(o.input()));
    n.set("output", json(o.output()));
    n.set("metadata", json(o.metadata()));
    n.put("level", o.level().name());
    n.put("statusMessage", o.statusMessage());
    n.put("parentObservationId", o.parentObservationId());
    n.put("promptName", o.promptName());
    n.put("promptVersion", o.promptVersion());
    n.putNull("promptId");
    n.putNull("version");
    n.putNull("modelId");
    putUsage(n, o.usage());
    putCost(n, o.cost());
    n.put("latency", seconds(o.startTime(), o.endTime()));
    n.put("timeToFirstToken", seconds(o.startTime(), o.completionStartTime()));
    n.put("environment", o.environment());
    return n;
  }

  /** A paged list: {@code {data, meta: {page, limit, totalItems, totalPages}}}. */
  public static ObjectNode page(List<ObjectNode> data, Page<?> p) {
    ObjectNode n = NODES.objectNode();
    n.putArray("data").addAll(data);
    putMeta(n, p.page(), p.limit(), p.totalItems(), p.totalPages());
    return n;
  }

  /** Daily metrics, all days on one page. */
  public static ObjectNode daily(List<DailyMetrics> days) {
    return daily(days, 1, Math.max(1, days.size()));
  }

  /** Daily metrics, newest day first, the given page of {@code limit} days. */
  public static ObjectNode daily(List<DailyMetrics> days, int page, int limit) {
    ObjectNode n = NODES.objectNode();
    ArrayNode data = n.putArray("data");
    days.stream().skip((long) (page - 1) * limit).limit(limit).forEach(d -> data.add(day(d)));
    putMeta(n, page, limit, days.size(), (days.size() + limit - 1) / limit);
    return n;
  }

  /** Parses {@code GET /api/public/traces} parameters. */
  public static TraceQuery traceQuery(String projectId, Map<String, List<String>> params) {
    return QueryParams.traceQuery(projectId, params);
  }

  /** Parses {@code GET /api/public/observations} parameters. */
  public static ObservationQuery observationQuery(String projectId,
      Map<String, List<String>> params) {
    return QueryParams.observationQuery(projectId, params);
  }

  /** Parses the filters of {@code GET /api/public/metrics/daily}. */
  public static DailyQuery dailyQuery(String projectId, Map<String, List<String>> params) {
    return QueryParams.dailyQuery(projectId, params);
  }

  /** The {@code page} parameter: at least 1, default 1. */
  public static int page(Map<String, List<String>> params) {
    return QueryParams.page(params);
  }

  /** The {@code limit} parameter: 1 to 100, default 50. */
  public static int limit(Map<String, List<String>> params) {
    return QueryParams.limit(params);
  }

  private static ObjectNode traceFields(TraceSummary s) {
    Trace t = s.trace();
    ObjectNode n = NODES.objectNode();
    n.put("id", t.id());
    n.put("timestamp", time(t.timestamp()));
    n.put("name", t.name());
    n.set("input", json(t.input()));
    n.set("output", json(t.output()));
    n.put("sessionId", t.sessionId());
    n.put("release", t.release());
    n.put("version", t.version());
    n.put("userId", t.userId());
    n.set("metadata", metadata(t.metadata(), s.costIncomplete()));
    ArrayNode tags = n.putArray("tags");
    t.tags().forEach(tags::add);
    n.put("public", t.isPublic());
    n.put("bookmarked", false);
    n.put("environment", t.environment());
    n.put("htmlPath", "/project/" + t.projectId() + "/traces/" + t.id());
    n.put("latency", s.latencySeconds());
    n.put("totalCost", s.totalCost());
    n.putArray("scores");
    n.put("projectId", t.projectId());
    // The store keeps no separate creation time on the trace record; its timestamp stands in.
    n.put("createdAt", time(t.timestamp()));
    n.put("updatedAt", time(t.timestamp()));
    return n;
  }

  private static JsonNode metadata(String raw, boolean costIncomplete) {
    JsonNode m = json(raw);
    if (!costIncomplete) {
      return m;
    }
    ObjectNode obj = m.isObject() ? (ObjectNode) m.deepCopy() : NODES.objectNode();
    if (!m.isObject() && !m.isNull()) {
      obj.set("value", m);
    }
    obj.put(COST_INCOMPLETE_KEY, true);
    return obj;
  }

  private static void putUsage(ObjectNode n, Usage u) {
    ObjectNode details = n.putObject("usageDetails");
    u.details().forEach(details::put);
    ObjectNode legacy = n.putObject("usage");
    long input = u.promptTokens();
    long output = u.completionTokens();
    legacy.put("input", input);
    legacy.put("output", output);
    legacy.put("total", u.details().containsKey(Usage.TOTAL) ? u.get(Usage.TOTAL)
        : input + output);
    legacy.put("unit", "TOKENS");
  }

  // An unknown price renders as no cost details and null calculated costs, never as zero.
  private static void putCost(ObjectNode n, Cost c) {
    ObjectNode details = n.putObject("costDetails");
    if (c == null) {
      n.putNull("calculatedInputCost");
      n.putNull("calculatedOutputCost");
      n.putNull("calculatedTotalCost");
      return;
    }
    c.details().forEach(details::put);
    n.put("calculatedInputCost", sumByPrefix(c, "input"));
    n.put("calculatedOutputCost", sumByPrefix(c, "output"));
    n.put("calculatedTotalCost", c.total());
  }

  private static BigDecimal sumByPrefix(Cost c, String prefix) {
    return c.details().entrySet().stream().filter(e -> e.getKey().startsWith(prefix))
        .map(Map.Entry::getValue).reduce(BigDecimal.ZERO, BigDecimal::add);
  }

  private static ObjectNode day(DailyMetrics d) {
    ObjectNode n = NODES.objectNode();
    n.put("date", d.date().toString());
    n.put("countTraces", d.countTraces());
    n.put("countObservations", d.countObservations());
    n.put("totalCost", d.totalCost());
    ArrayNode usage = n.putArray("usage");
    for (DailyMetrics.ModelUsage u : d.usage()) {
      ObjectNode m = usage.addObject();
      m.put("model", u.model());
      m.put("inputUsage", u.inputUsage());
      m.put("outputUsage", u.outputUsage());
      m.put("totalUsage", u.totalUsage());
      m.put("countTraces", u.countTraces());
      m.put("countObservations", u.countObservations());
      m.put("totalCost", u.totalCost());
    }
    return n;
  }

  private static void putMeta(ObjectNode n, int page, int limit, long total, long pages) {
    ObjectNode meta = n.putObject("meta");
    meta.put("page", page);
    meta.put("limit", limit);
    meta.put("totalItems", total);
    meta.put("totalPages", pages);
  }

  // Stored text that is not JSON (a plain string from an SDK) is returned as a JSON string.
  private static JsonNode json(String raw) {
    if (raw == null) {
      return NullNode.instance;
    }
    try {
      return MAPPER.readTree(raw);
    } catch (JsonProcessingException e) {
      return TextNode.valueOf(raw);
    }
  }

  private static String time(Instant t) {
    return t == null ? null : TIME.format(t);
  }

  private static Double seconds(Instant from, Instant to) {
    return from == null || to == null ? null : Duration.between(from, to).toNanos() / 1e9;
  }
}
