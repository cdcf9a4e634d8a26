package dev.keel.eval.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keel.eval.ScoreResult;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Runs kept in Keel itself, so a stored run can be a baseline: when a run ends, a trace with
 * id {@code eval-run-<run>} (tag {@code keel-eval-run}) carries its {@link RunInfo} as
 * metadata; its items are the traces tagged with the run name, their determined scores attached.
 * Undetermined scores are not stored in Keel, so they read back as missing (NaN), which is what
 * they are.
 */
final class StoredRuns {

  private static final int PAGE = 100;
  private static final int IDS_PER_CALL = 50;

  private final KeelHttp keel;

  StoredRuns(KeelHttp keel) {
    this.keel = keel;
  }

  static String traceId(String run) {
    return "eval-run-" + run;
  }

  void record(RunResults results) {
    RunInfo info = results.info();
    ObjectNode body = RunResults.JSON.createObjectNode().put("id", traceId(info.run()))
        .put("name", "eval run " + info.run()).put("timestamp", Instant.now().toString());
    body.putArray("tags").add("keel-eval-run");
    body.putObject("metadata").set("eval_run_info", info.toJson());
    ObjectNode event = RunResults.JSON.createObjectNode().put("id", UUID.randomUUID().toString())
        .put("type", "trace-create").put("timestamp", Instant.now().toString());
    event.set("body", body);
    ObjectNode batch = RunResults.JSON.createObjectNode();
    batch.putArray("batch").add(event);
    keel.post("/api/public/ingestion", batch, Map.of());
  }

  /** Reads a stored run back. Throws IllegalArgumentException when Keel has no such run. */
  RunResults read(String run) {
    JsonNode info;
    try {
      info = KeelHttp.json(keel.get("/api/public/traces/" + enc(traceId(run))))
          .path("metadata").path("eval_run_info");
    } catch (IllegalStateException e) {
      throw new IllegalArgumentException("no stored eval run " + run + " in Keel ("
          + e.getMessage() + ")");
    }
    if (!info.isObject()) {
      throw new IllegalArgumentException("trace " + traceId(run) + " is not a Keel eval run");
    }
    return new RunResults(RunInfo.fromJson(info), items(run));
  }

  private List<ItemResult> items(String run) {
    Map<String, JsonNode> traces = new LinkedHashMap<>();
    List<String> scoreIds = new ArrayList<>();
    for (int page = 1; ; page++) {
      JsonNode body = KeelHttp.json(keel.get("/api/public/traces?tags=" + enc(run) + "&limit="
          + PAGE + "&page=" + page));
      for (JsonNode t : body.path("data")) {
        if (t.path("metadata").path("eval_run").asText().equals(run)) {
          traces.put(t.path("id").asText(), t);
          t.path("scores").forEach(id -> scoreIds.add(id.asText()));
        }
      }
      if (page >= body.path("meta").path("totalPages").asInt(0)) {
        break;
      }
    }
    Map<String, Map<String, ScoreResult>> scores = scores(scoreIds);
    List<ItemResult> items = new ArrayList<>();
    traces.forEach((id, t) -> items.add(new ItemResult(
        t.path("metadata").path("eval_item").asText(id), id, null, null, null, 0, 0,
        scores.getOrDefault(id, Map.of()))));
    return items;
  }

  private Map<String, Map<String, ScoreResult>> scores(List<String> ids) {
    Map<String, Map<String, ScoreResult>> byTrace = new HashMap<>();
    for (int i = 0; i < ids.size(); i += IDS_PER_CALL) {
      String batch = String.join(",", ids.subList(i, Math.min(ids.size(), i + IDS_PER_CALL)));
      JsonNode body = KeelHttp.json(keel.get("/api/public/v2/scores?limit=100&scoreIds="
          + enc(batch)));
      for (JsonNode s : body.path("data")) {
        String name = s.path("name").asText();
        byTrace.computeIfAbsent(s.path("traceId").asText(), k -> new LinkedHashMap<>())
            .put(name, new ScoreResult(name, s.path("value").asDouble(), null,
                RunInfo.textOrNull(s, "comment")));
      }
    }
    return byTrace;
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
