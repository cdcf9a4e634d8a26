package dev.keel.tracing.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keel.core.cost.Pricer;
import dev.keel.core.trace.Observation;
import dev.keel.core.trace.ObservationType;
import dev.keel.core.trace.Trace;
import dev.keel.store.Score;
import dev.keel.store.TraceBatch;
import dev.keel.store.TraceWriter;
import dev.keel.tracing.score.ScoreService;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Langfuse's batch ingestion ({@code POST /api/public/ingestion}): validates each event on its
 * own, turns the valid ones into one {@link TraceBatch} (creates first, then updates, each by
 * event time, as Langfuse orders them) and hands it to the trace writer. The answer is ready
 * once the transaction holding the batch has committed; concurrent requests share
 * transactions (group commit). Writes are idempotent on entity ids, so a resent batch changes
 * nothing.
 */
public final class IngestionService {

  private static final Logger LOG = LoggerFactory.getLogger(IngestionService.class);
  private static final Map<String, ObservationType> CREATES = Map.ofEntries(
      Map.entry("span-create", ObservationType.SPAN),
      Map.entry("generation-create", ObservationType.GENERATION),
      Map.entry("event-create", ObservationType.EVENT),
      Map.entry("agent-create", ObservationType.AGENT),
      Map.entry("tool-create", ObservationType.TOOL),
      Map.entry("chain-create", ObservationType.CHAIN),
      Map.entry("retriever-create", ObservationType.RETRIEVER),
      Map.entry("evaluator-create", ObservationType.EVALUATOR),
      Map.entry("embedding-create", ObservationType.EMBEDDING),
      Map.entry("guardrail-create", ObservationType.GUARDRAIL));
  private static final Map<String, ObservationType> UPDATES = Map.of(
      "span-update", ObservationType.SPAN,
      "generation-update", ObservationType.GENERATION);

  private final TraceWriter writer;
  private final IngestionPricing pricing;
  private final ScoreService scores;
  private final Clock clock;
  private final Duration maxWait;

  /**
   * @param maxWait how long a request waits for space in the writer's queue before it is
   *     refused (the client retries)
   */
  public IngestionService(TraceWriter writer, Pricer pricer, ScoreService scores, Clock clock,
      Duration maxWait) {
    this.writer = writer;
    var estimates = new UsageEstimates(writer, UsageEstimates.DELAY);
    this.pricing = new IngestionPricing(pricer, estimates::later);
    estimates.start(pricing);
    this.scores = scores;
    this.clock = clock;
    this.maxWait = maxWait;
  }

  /**
   * Validates and stores a batch body. Throws {@link InvalidEvent} (400) when the body is not
   * {@code {batch: [...]}}. The future fails when nothing could be stored: the writer's queue
   * stayed full (a RATE_LIMITED KeelException) or the store failed.
   *
   * @param scoresOnly true for a public key alone: only score-create and sdk-log are allowed
   */
  public CompletableFuture<IngestionResult> ingest(String projectId, boolean scoresOnly,
      JsonNode body) {
    JsonNode batch = body == null ? null : body.get("batch");
    if (batch == null || !batch.isArray()) {
      throw InvalidEvent.badRequest("the body must be an object with a batch array of events");
    }
    var parsed = new Parsed();
    for (JsonNode event : batch) {
      parse(projectId, scoresOnly, event, parsed);
    }
    var stored = parsed.stored;
    var errors = parsed.errors;
    return writer.submit(parsed.toBatch(pricing), maxWait).thenApply(v -> new IngestionResult(
        stored.stream().map(id -> new IngestionResult.Success(id, 201)).toList(), errors));
  }

  private void parse(String projectId, boolean scoresOnly, JsonNode event, Parsed into) {
    String eventId = event != null && event.isObject() && event.path("id").isTextual()
        ? event.get("id").asText() : "unknown";
    try {
      if (event == null || !event.isObject()) {
        throw InvalidEvent.badRequest("each event must be an object with id, type and body");
      }
      String type = Fields.text(event, "type");
      if (type == null) {
        throw InvalidEvent.badRequest("type is required");
      }
      if (eventId.equals("unknown")) {
        throw InvalidEvent.badRequest("id (the event id) is required and must be a string");
      }
      Instant at = Fields.time(event, "timestamp");
      at = at == null ? clock.instant() : at;
      JsonNode body = event.get("body");
      if (type.equals("sdk-log")) {
        LOG.debug("sdk-log event {} received and dropped", eventId);
        return;
      }
      if (scoresOnly && !type.equals("score-create")) {
        throw new InvalidEvent(401, "Access Scope Denied");
      }
      if (body == null || !body.isObject()) {
        throw InvalidEvent.badRequest("body must be an object");
      }
      into.add(eventId, type, at, map(projectId, type, body, at, eventId));
    } catch (InvalidEvent e) {
      into.errors.add(failure(eventId, e));
    }
  }

  private Object map(String projectId, String type, JsonNode body, Instant at,
      String eventId) {
    if (type.equals("trace-create")) {
      return EventMapper.trace(body, projectId, at);
    }
    if (type.equals("score-create")) {
      return scores.fromBody(projectId, body, at, eventId);
    }
    ObservationType obsType = CREATES.getOrDefault(type, UPDATES.get(type));
    if (type.equals("observation-create") || type.equals("observation-update")) {
      obsType = legacyType(body);
    }
    if (obsType == null) {
      throw InvalidEvent.badRequest("unknown event type: " + Fields.abbreviate(type));
    }
    return EventMapper.observation(obsType, body, projectId, at);
  }

  private static ObservationType legacyType(JsonNode body) {
    String t = Fields.text(body, "type");
    if (t == null) {
      throw InvalidEvent.badRequest("body.type is required on observation events:"
          + " GENERATION, SPAN or EVENT");
    }
    try {
      return ObservationType.valueOf(t.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw InvalidEvent.badRequest("body.type must be GENERATION, SPAN or EVENT, got "
          + Fields.abbreviate(t));
    }
  }

  private static IngestionResult.Failure failure(String eventId, InvalidEvent e) {
    return switch (e.status()) {
      case 400 -> new IngestionResult.Failure(eventId, 400, "Invalid request data",
          e.getMessage());
      case 401 -> new IngestionResult.Failure(eventId, 401, e.getMessage(),
          "a public key alone may only send score-create and sdk-log events");
      default -> new IngestionResult.Failure(eventId, e.status(), e.getMessage(),
          e.getMessage());
    };
  }

  /** Valid events sorted into the batch's lists, and the invalid ones. */
  private static final class Parsed {
    final List<String> stored = new ArrayList<>();
    final List<IngestionResult.Failure> errors = new ArrayList<>();
    final List<Entry> creates = new ArrayList<>();
    final List<Entry> updates = new ArrayList<>();

    void add(String eventId, String type, Instant at, Object value) {
      stored.add(eventId);
      boolean update = type.endsWith("-update");
      (update ? updates : creates).add(new Entry(at, value));
    }

    TraceBatch toBatch(IngestionPricing pricing) {
      Comparator<Entry> byTime = Comparator.comparing(Entry::at);
      creates.sort(byTime);
      updates.sort(byTime);
      var traces = new ArrayList<Trace>();
      var observations = new ArrayList<Observation>();
      var scoreList = new ArrayList<Score>();
      for (Entry e : creates) {
        switch (e.value()) {
          case Trace t -> traces.add(t);
          case Observation o -> observations.add(o);
          case Score s -> scoreList.add(s);
          default -> throw new IllegalStateException("unexpected " + e.value().getClass());
        }
      }
      var updateList = updates.stream().map(e -> (Observation) e.value()).toList();
      return new TraceBatch(traces, observations, updateList, scoreList, pricing);
    }
  }

  private record Entry(Instant at, Object value) {
  }
}
