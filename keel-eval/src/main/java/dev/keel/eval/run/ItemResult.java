package dev.keel.eval.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keel.eval.ScoreResult;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One item's outcome in a run: the answer, its trace, cost and scores.
 *
 * @param output the task's answer text, or null when it failed
 * @param error why the task failed after its retries, or null
 * @param costUsd what the call cost, or null when unknown
 * @param attempts how many task calls were made
 * @param scores each scorer's result by scorer name (empty when the task failed)
 */
public record ItemResult(String id, String traceId, String output, String error,
    BigDecimal costUsd, long latencyMs, int attempts, Map<String, ScoreResult> scores) {

  public ItemResult {
    Objects.requireNonNull(id, "id");
    scores = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(scores));
  }

  public boolean failed() {
    return error != null;
  }

  JsonNode toJson() {
    ObjectNode n = JsonNodeFactory.instance.objectNode();
    n.put("id", id).put("traceId", traceId).put("output", output).put("error", error)
        .put("costUsd", costUsd == null ? null : costUsd.toPlainString())
        .put("latencyMs", latencyMs).put("attempts", attempts);
    ObjectNode s = n.putObject("scores");
    scores.forEach((name, r) -> {
      ObjectNode o = s.putObject(name);
      // JSON has no NaN: an undetermined score is written as null with its reason.
      if (r.determined()) {
        o.put("value", r.value());
      } else {
        o.putNull("value");
      }
      o.put("label", r.label()).put("reason", r.reason());
    });
    return n;
  }

  static ItemResult fromJson(JsonNode n) {
    Map<String, ScoreResult> scores = new LinkedHashMap<>();
    n.path("scores").fields().forEachRemaining(e -> {
      JsonNode v = e.getValue();
      double value = v.path("value").isNumber() ? v.path("value").asDouble() : Double.NaN;
      scores.put(e.getKey(), new ScoreResult(e.getKey(), value, RunInfo.textOrNull(v, "label"),
          RunInfo.textOrNull(v, "reason")));
    });
    String cost = RunInfo.textOrNull(n, "costUsd");
    return new ItemResult(n.path("id").asText(), RunInfo.textOrNull(n, "traceId"),
        RunInfo.textOrNull(n, "output"), RunInfo.textOrNull(n, "error"),
        cost == null ? null : new BigDecimal(cost), n.path("latencyMs").asLong(),
        n.path("attempts").asInt(), scores);
  }
}
