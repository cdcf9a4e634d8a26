package dev.keel.tracing.ingest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keel.core.cost.Cost;
import dev.keel.core.cost.Pricer;
import dev.keel.core.tokens.TokenCounter;
import dev.keel.core.tokens.TokenEstimator;
import dev.keel.core.trace.Level;
import dev.keel.core.trace.Observation;
import dev.keel.core.trace.ObservationType;
import dev.keel.core.usage.Usage;
import dev.keel.store.TraceBatch;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Prices ingested observations once merged with what was stored, since the model often comes
 * in the create and the usage in a later update. Langfuse's order: costs the client sent are
 * kept as they are; else the usage is priced with Keel's table; a model call with a priced
 * model, no usage and no cost (and not at level ERROR) gets its tokens counted with the
 * tokenizer, marked {@code usage_estimated} in its metadata.
 *
 * <p>The counting is left to {@link UsageEstimates}, a while after the commit, for the rows that
 * still have no usage then: SDKs usually send the usage in a later update, and counting ~1 KB
 * of text for every create cost more than the rest of the request. A row is stored without
 * usage (or with its earlier estimate) until then.
 *
 * <p>Known shortcoming: a cost the client sent in one event is replaced by a computed one when a
 * later event of the same observation brings new usage without a cost, because the stored row
 * does not record where its cost came from; a column saying so would fix it.
 */
final class IngestionPricing implements TraceBatch.Finisher {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Usage PROBE = new Usage(Map.of(Usage.INPUT, 1L, Usage.OUTPUT, 1L), false);

  private final Pricer pricer;
  private final Consumer<Observation> later;

  /**
   * @param later told, on the trace writer's thread, of each merged row whose tokens are to be
   *     counted later; it must only note it
   */
  IngestionPricing(Pricer pricer, Consumer<Observation> later) {
    this.pricer = pricer;
    this.later = later;
  }

  @Override
  public Observation finish(Observation merged, Observation incoming, boolean isNew) {
    if (merged.model() == null || incoming.cost() != null || !relevant(merged, incoming, isNew)) {
      return merged;
    }
    Usage usage = merged.usage();
    if ((usage.isEmpty() || usage.estimated()) && mayEstimate(merged)) {
      // Counted later from the stored text (it is not read here); an earlier estimate and its
      // price stay until then.
      later.accept(merged);
      return merged;
    }
    if (usage.isEmpty()) {
      return merged;
    }
    Cost cost = pricer.cost(merged.model(), usage).orElse(null);
    return copy(merged, usage, cost, merged.metadata());
  }

  /**
   * The finisher of a batch of token counts made later: {@code counts} holds, for each
   * update event of the batch (by identity), the usage counted from the stored row. A row that
   * got usage or a cost from the client meanwhile keeps it.
   */
  TraceBatch.Finisher counted(Map<Observation, Usage> counts) {
    return (merged, incoming, isNew) -> {
      Usage counted = counts.get(incoming);
      if (counted == null || isNew || merged.model() == null || !mayEstimate(merged)
          || (!merged.usage().isEmpty() && !merged.usage().estimated())
          || (merged.usage().isEmpty() && merged.cost() != null)) {
        return merged;
      }
      Cost cost = pricer.cost(merged.model(), counted).orElse(null);
      return copy(merged, counted, cost, withEstimatedFlag(merged.metadata()));
    };
  }

  /** A model call with a priced model, not at level ERROR (its text is checked later). */
  boolean mayEstimate(Observation o) {
    boolean modelCall = o.type() == ObservationType.GENERATION
        || o.type() == ObservationType.EMBEDDING;
    return modelCall && o.level() != Level.ERROR && o.model() != null
        && pricer.cost(o.model(), PROBE).isPresent();
  }

  // Only an event that brings a model, usage or (for estimates) new text changes the price.
  private static boolean relevant(Observation merged, Observation incoming, boolean isNew) {
    return isNew || incoming.model() != null || !incoming.usage().isEmpty()
        || ((merged.usage().isEmpty() || merged.usage().estimated())
            && (incoming.input() != null || incoming.output() != null))
        || (merged.cost() == null && !merged.usage().isEmpty());
  }

  /** Input and output tokens of {@code o}'s text, counted with its model's tokenizer. */
  static Usage estimate(Observation o) {
    long input = tokens(o.model(), o.input());
    long output = tokens(o.model(), o.output());
    return Usage.fromTotals(input, 0, 0, 0, output, 0, 0, true);
  }

  // Chat message arrays are counted the way the provider counts them; other JSON as text.
  private static long tokens(String model, String raw) {
    if (raw == null) {
      return 0;
    }
    try {
      JsonNode n = JSON.readTree(raw);
      if (n.isArray() && n.size() > 0 && n.get(0).has("role")) {
        return TokenEstimator.countMessages(model, n);
      }
      if (n.isObject() && n.has("messages")) {
        return TokenEstimator.countMessages(model, n.get("messages"));
      }
      if (n.isObject() && n.has("content") && n.get("content").isTextual()) {
        return TokenCounter.count(model, n.get("content").asText());
      }
      return TokenCounter.count(model, n.isTextual() ? n.asText() : raw);
    } catch (JsonProcessingException e) {
      return TokenCounter.count(model, raw);
    }
  }

  private static String withEstimatedFlag(String metadata) {
    ObjectNode md = JSON.createObjectNode();
    if (metadata != null) {
      try {
        JsonNode n = JSON.readTree(metadata);
        if (n.isObject()) {
          md = (ObjectNode) n;
        } else {
          md.set("value", n);
        }
      } catch (JsonProcessingException e) {
        md.put("value", metadata);
      }
    }
    md.put("usage_estimated", true);
    return md.toString();
  }

  private static Observation copy(Observation o, Usage usage, Cost cost, String metadata) {
    return new Observation(o.id(), o.traceId(), o.projectId(), o.parentObservationId(),
        o.type(), o.name(), o.startTime(), o.endTime(), o.completionStartTime(), o.model(),
        o.modelParameters(), o.input(), o.output(), metadata, o.level(), o.statusMessage(),
        usage, cost, o.promptName(), o.promptVersion(), o.environment());
  }
}
