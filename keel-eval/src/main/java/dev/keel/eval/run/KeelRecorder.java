package dev.keel.eval.run;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keel.eval.EvalItem;
import dev.keel.eval.ScoreResult;
import dev.keel.eval.TaskOutput;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes what a run produces into Keel: a trace for an item whose task did not go through the
 * gateway (Langfuse batch ingestion), and each determined score on the item's trace. Keel
 * stores no NaN, so an undetermined score stays in the results file only.
 */
final class KeelRecorder {

  private static final Logger LOG = LoggerFactory.getLogger(KeelRecorder.class);

  private final KeelHttp keel;

  KeelRecorder(KeelHttp keel) {
    this.keel = keel;
  }

  void recordTrace(String run, EvalItem item, TaskOutput output, String traceId) {
    ObjectNode body = RunResults.JSON.createObjectNode().put("id", traceId)
        .put("name", "eval " + run).put("timestamp", Instant.now().toString());
    body.set("input", item.input());
    if (output.text() != null) {
      body.put("output", output.text());
    }
    body.putArray("tags").add("keel-eval").add(run);
    ObjectNode meta = body.putObject("metadata").put("eval_run", run)
        .put("eval_item", item.id());
    if (output.error() != null) {
      meta.put("error", output.error());
    }
    ObjectNode event = RunResults.JSON.createObjectNode().put("id", UUID.randomUUID().toString())
        .put("type", "trace-create").put("timestamp", Instant.now().toString());
    event.set("body", body);
    ObjectNode batch = RunResults.JSON.createObjectNode();
    batch.putArray("batch").add(event);
    send("/api/public/ingestion", batch, "trace " + traceId);
  }

  void recordScores(String run, String traceId, Map<String, ScoreResult> scores) {
    for (ScoreResult r : scores.values()) {
      if (!r.determined()) {
        continue;
      }
      ObjectNode s = RunResults.JSON.createObjectNode().put("traceId", traceId)
          .put("name", r.name()).put("value", r.value()).put("dataType", "NUMERIC")
          .put("source", "EVAL");
      if (r.reason() != null) {
        s.put("comment", r.reason().length() > 1000 ? r.reason().substring(0, 1000)
            : r.reason());
      }
      s.putObject("metadata").put("eval_run", run);
      send("/api/public/scores", s, "score " + r.name() + " on " + traceId);
    }
  }

  /**
   * What the trace's priced observations cost, as Keel stores it ({@code totalCost} of {@code
   * GET /api/public/traces/{id}}), or null when that is unknown: no such trace, no GENERATION or
   * EMBEDDING in it, or one of those without a price. A trace the app records on its own may land
   * in Keel shortly after the answer, so an absent trace or model call is asked for again a few
   * times ({@link #COST_LOOKUPS}, {@link #COST_LOOKUP_PAUSE_MS} apart).
   */
  java.math.BigDecimal traceCost(String traceId) {
    for (int attempt = 1; attempt <= COST_LOOKUPS; attempt++) {
      if (attempt > 1) {
        sleep(COST_LOOKUP_PAUSE_MS);
      }
      com.fasterxml.jackson.databind.JsonNode t;
      try {
        var r = keel.exchange("/api/public/traces/" + java.net.URLEncoder.encode(traceId,
            java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20"));
        if (r.statusCode() == 404) {
          continue;
        }
        if (r.statusCode() != 200) {
          return null;
        }
        t = KeelHttp.json(r);
      } catch (RuntimeException e) {
        LOG.debug("could not read the cost of trace {}: {}", traceId, e.getMessage());
        return null;
      }
      boolean modelCall = false;
      for (var o : t.path("observations")) {
        String type = o.path("type").asText();
        if (type.equals("GENERATION") || type.equals("EMBEDDING")) {
          modelCall = true;
        }
      }
      if (!modelCall) {
        continue;
      }
      if (t.path("metadata").path("keel_cost_incomplete").asBoolean(false)
          || !t.path("totalCost").isNumber()) {
        return null;
      }
      return t.path("totalCost").decimalValue();
    }
    return null;
  }

  static final int COST_LOOKUPS = 5;
  static final long COST_LOOKUP_PAUSE_MS = 200;

  /** Links the item's trace to the run in the stored dataset's runs (Langfuse dataset runs). */
  void linkDatasetRun(RunInfo info, String itemId, String traceId) {
    ObjectNode b = RunResults.JSON.createObjectNode().put("runName", info.run())
        .put("datasetItemId", itemId).put("traceId", traceId)
        .put("runDescription", "keel eval run: " + info.task() + " " + info.model());
    String v = info.datasetVersion();
    if (v.matches("v\\d+")) {
      b.put("datasetVersion", Integer.parseInt(v.substring(1)));
    }
    send("/api/public/dataset-run-items", b, "dataset run item " + itemId);
  }

  /** One retry for a transient failure; a score Keel would not take is a warning, not a stop. */
  private void send(String path, ObjectNode body, String what) {
    for (int attempt = 1; attempt <= 3; attempt++) {
      try {
        keel.post(path, body, Map.of());
        return;
      } catch (Task.RetryableException e) {
        if (attempt == 3) {
          LOG.warn("could not record {} in Keel: {}", what, e.getMessage());
          return;
        }
        sleep(EvalRunner.backoff(attempt, e.retryAfterMs()));
      } catch (RuntimeException e) {
        LOG.warn("Keel refused {}: {}", what, e.getMessage());
        return;
      }
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
