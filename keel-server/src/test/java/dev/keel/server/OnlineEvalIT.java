package dev.keel.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Online evaluation against a real Keel whose simulator is both the provider and the judge:
 * rules from keel.yaml and the API score a sample of gateway and ingested traces off the
 * request path, scores land on the traces, judge calls are traced but never judged, the daily
 * cost cap stops judging, and rules survive a restart.
 */
class OnlineEvalIT {

  private static final String RULES = "/api/keel/online-eval/rules";
  private static final String T0 = "2026-12-04T10:00:00.000Z";

  @TempDir
  Path dir;
  private KeelFixture keel;

  @AfterEach
  void stop() {
    if (keel != null) {
      keel.close();
    }
  }

  @Test
  void rateOne_scoresMatchingGatewayTracesOnly_judgeCallsTracedButNotJudged() throws Exception {
    keel = KeelFixture.start(dir);
    HttpResponse<String> created = send("POST", RULES, """
        {"name": "support", "filter": {"trace_name": "support*"}, "sample_rate": 1.0,
         "delay_seconds": 0, "judge": {"model": "gpt-4o-mini"},
         "scorers": [{"name": "regex", "options": {"pattern": "\\\\w"}},
                     {"name": "rubric", "options": {"rubric": "Is the answer helpful?"}}]}
        """);
    var matching = new ArrayList<String>();
    var others = new ArrayList<String>();

    for (int i = 0; i < 3; i++) {
      matching.add(chat("support-" + i, "How do I reset my password, step " + i + "?"));
      others.add(chat("billing", "What does plan " + i + " cost?"));
    }
    List<JsonNode> results = awaitResults("support", r -> r.size() >= 6);

    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    assertThat(results).extracting(r -> r.path("trace_id").asText()).containsOnly(
        matching.toArray(String[]::new));
    assertThat(results).extracting(r -> r.path("status").asText()).containsOnly("scored");
    for (String id : matching) {
      JsonNode scores = scores(id);
      assertThat(scores).extracting(s -> s.path("name").asText())
          .containsExactlyInAnyOrder("regex", "rubric");
      JsonNode rubric = find(scores, "rubric");
      assertThat(rubric.path("source").asText()).isEqualTo("EVAL");
      assertThat(rubric.path("value").asDouble()).isBetween(0.0, 1.0);
      JsonNode meta = KeelFixture.json(rubric.path("metadata").isTextual()
          ? rubric.path("metadata").asText() : rubric.path("metadata").toString());
      assertThat(meta.path("online_eval_rule").asText()).isEqualTo("support");
      assertThat(meta.path("scorer_version").asText()).isNotBlank();
      assertThat(meta.path("judge_model").asText()).isEqualTo("gpt-4o-mini (simulated)");
      assertThat(KeelFixture.json(keel.get("/api/public/traces/" + id,
          "authorization", KeelFixture.bearerMaster())).path("scores")).hasSize(2);
    }
    for (String id : others) {
      assertThat(scores(id)).isEmpty();
    }
    JsonNode judgeTraces = KeelFixture.json(keel.get(
        "/api/public/traces?tags=keel-online-eval&limit=50", "authorization",
        KeelFixture.bearerMaster())).path("data");
    assertThat(judgeTraces).hasSize(3);
    Thread.sleep(1500);
    for (JsonNode t : judgeTraces) {
      assertThat(scores(t.path("id").asText())).isEmpty();
    }
    assertThat(results("support")).hasSize(6);
    String metrics = keel.get("/metrics", "authorization", KeelFixture.bearerMaster()).body();
    assertThat(metrics).contains("keel_online_eval_sampled_total{rule=\"support\"} 3",
        "keel_online_eval_scored_total{rule=\"support\",score=\"rubric\"} 3",
        "keel_online_eval_judge_cost_usd_total{rule=\"support\"} 0.");
  }

  @Test
  void halfRate_samplesAboutHalfOfIngestedTraces_sameOnesAfterRedelivery() throws Exception {
    keel = KeelFixture.start(dir);
    send("POST", RULES, """
        {"name": "half", "sample_rate": 0.5, "delay_seconds": 1,
         "filter": {"tags": ["app"]}, "scorers": ["json_valid"]}
        """);
    var ids = new ArrayList<String>();
    for (int i = 0; i < 40; i++) {
      ids.add("ingested-" + i);
    }
    Set<String> expected = new HashSet<>();
    for (String id : ids) {
      if (unit("half", id) < 0.5) {
        expected.add(id);
      }
    }

    ingest(ids, "{\"ok\": true}");
    List<JsonNode> first = awaitResults("half", r -> r.size() >= expected.size());
    ingest(ids, "{\"ok\": false}");
    Thread.sleep(2500);
    List<JsonNode> again = results("half");

    assertThat(expected.size()).isBetween(12, 28);
    assertThat(first).extracting(r -> r.path("trace_id").asText())
        .containsExactlyInAnyOrderElementsOf(expected);
    assertThat(again).hasSameSizeAs(first);
    assertThat(first).allSatisfy(r -> assertThat(r.path("value").asDouble()).isEqualTo(1.0));
    for (String id : ids) {
      assertThat(scores(id)).hasSize(expected.contains(id) ? 1 : 0);
    }
  }

  @Test
  void otlpTraces_areScoredLikeTheOthers() throws Exception {
    keel = KeelFixture.start(dir);
    send("POST", RULES, """
        {"name": "otel", "delay_seconds": 1, "filter": {"user_id": "otel-user"},
         "scorers": [{"name": "latency", "options": {"max_ms": 5000}}]}
        """);
    var ids = List.of("5b8efff798038103d269b633813fc601", "5b8efff798038103d269b633813fc602");

    for (String id : ids) {
      HttpResponse<String> r = keel.post("/api/public/otel/v1/traces", """
          {"resourceSpans":[{"scopeSpans":[{"scope":{"name":"it"},"spans":[
            {"traceId":"%s","spanId":"b7ad6b7169203331","name":"otel-root",
             "startTimeUnixNano":"1767225600000000000","endTimeUnixNano":"1767225601000000000",
             "attributes":[{"key":"user.id","value":{"stringValue":"otel-user"}}]}]}]}]}
          """.formatted(id), "authorization", KeelFixture.bearerMaster(),
          "content-type", "application/json");
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }
    List<JsonNode> results = awaitResults("otel", r -> r.size() >= 2);

    assertThat(results).extracting(r -> r.path("trace_id").asText())
        .containsExactlyInAnyOrderElementsOf(ids);
    assertThat(results).allSatisfy(r -> {
      assertThat(r.path("status").asText()).isEqualTo("scored");
      assertThat(r.path("value").asDouble()).isEqualTo(1.0);
    });
    assertThat(find(scores(ids.get(0)), "latency").path("source").asText()).isEqualTo("EVAL");
  }

  @Test
  void pendingQueueFull_tracesSkippedAndCounted_requestsUnaffected() throws Exception {
    keel = KeelFixture.start(dir, "online_eval: {queue_capacity: 1}\n");
    send("POST", RULES, "{\"name\": \"slow\", \"delay_seconds\": 60, "
        + "\"scorers\": [\"json_valid\"]}");

    for (int i = 0; i < 3; i++) {
      chat("busy", "Question " + i + "?");
    }
    keel.server.flushTraces();

    assertThat(keel.get("/metrics", "authorization", KeelFixture.bearerMaster()).body())
        .contains("keel_online_eval_skipped_total{reason=\"queue_full\"} 2",
            "keel_online_eval_pending 1");
  }

  @Test
  void costCap_stopsJudgingOnceReached_andSaysWhy() throws Exception {
    keel = KeelFixture.start(dir, "online_eval:\n  concurrency: 1\n");
    send("POST", RULES, """
        {"name": "capped", "delay_seconds": 0, "judge": "gpt-4o-mini",
         "max_daily_cost_usd": 0.000001, "filter": {"trace_name": "capped"},
         "scorers": [{"name": "rubric", "options": {"rubric": "Is it right?"}}]}
        """);

    var ids = new ArrayList<String>();
    for (int i = 0; i < 4; i++) {
      ids.add(chat("capped", "Question " + i + " about the cap?"));
    }
    List<JsonNode> results = awaitResults("capped", r -> r.size() >= 4);
    JsonNode rule = KeelFixture.json(send("GET", RULES + "/capped", null));

    assertThat(results).filteredOn(r -> r.path("status").asText().equals("scored")).hasSize(1);
    assertThat(results).filteredOn(r -> r.path("status").asText().equals("skipped"))
        .hasSize(3).allSatisfy(r -> assertThat(r.path("reason").asText())
            .contains("daily judge cost cap"));
    assertThat(rule.path("paused").asBoolean()).isTrue();
    assertThat(rule.path("spent_today_usd").decimalValue())
        .isGreaterThanOrEqualTo(new java.math.BigDecimal("0.000001"));
    // Always a plain decimal, never 5.13E-5, before and after a restart alike.
    assertThat(send("GET", RULES + "/capped", null).body())
        .containsPattern("\"spent_today_usd\":0\\.0*[1-9][0-9]*[,}]");
    assertThat(KeelFixture.json(keel.get("/api/public/traces?tags=keel-online-eval",
        "authorization", KeelFixture.bearerMaster())).path("data")).hasSize(1);
    assertThat(keel.get("/metrics", "authorization", KeelFixture.bearerMaster()).body())
        .contains("keel_online_eval_cost_cap_reached_total{rule=\"capped\"} 1",
            "keel_online_eval_skipped_total{reason=\"cost_cap\",rule=\"capped\"} 3");

    String spent = rule.path("spent_today_usd").decimalValue().toPlainString();
    keel.close();
    keel = KeelFixture.start(dir, "online_eval:\n  concurrency: 1\n");
    assertThat(send("GET", RULES + "/capped", null).body())
        .contains("\"spent_today_usd\":" + spent + ",");
  }

  @Test
  void costCap_aScorerThatStartedFinishes_itsPaidAnswersBecomeAScore() throws Exception {
    keel = KeelFixture.start(dir, "online_eval:\n  concurrency: 1\n");
    send("POST", RULES, """
        {"name": "inflight", "delay_seconds": 0, "judge": "gpt-4o-mini",
         "max_daily_cost_usd": 0.00001, "filter": {"trace_name": "inflight"},
         "scorers": ["answer_relevancy", "json_valid"]}
        """);

    for (int i = 0; i < 3; i++) {
      chat("inflight", "Question " + i + " about paying for answers?");
    }
    List<JsonNode> results = awaitResults("inflight", r -> r.size() >= 6);

    List<JsonNode> relevancy = results.stream()
        .filter(r -> r.path("score").asText().equals("answer_relevancy")).toList();
    assertThat(relevancy).hasSize(3);
    assertThat(relevancy).filteredOn(r -> r.path("status").asText().equals("scored"))
        .hasSize(1).allSatisfy(r -> {
          assertThat(r.path("value").isNumber()).isTrue();
          assertThat(r.path("score_id").asText()).isNotBlank();
          assertThat(r.path("judge_cost_usd").decimalValue())
              .isGreaterThan(new java.math.BigDecimal("0.00001"));
        });
    assertThat(relevancy).filteredOn(r -> r.path("status").asText().equals("skipped"))
        .hasSize(2).allSatisfy(r -> assertThat(r.path("judge_cost_usd").decimalValue())
            .isZero());
    assertThat(results).filteredOn(r -> r.path("score").asText().equals("json_valid"))
        .hasSize(3).allSatisfy(r -> assertThat(r.path("status").asText())
            .isNotEqualTo("skipped"));
  }

  @Test
  void failingJudge_storesNoScore_recordsTheReason() throws Exception {
    keel = KeelFixture.start(dir);
    send("POST", RULES, """
        {"name": "faith", "delay_seconds": 0, "judge": "gpt-4o-mini",
         "scorers": ["faithfulness", "answer_relevancy"]}
        """);

    ingestWithRetrieval("rag-ok", "Paris is the capital of France.");
    ingestWithRetrieval("rag-broken", "[[sim fault=500]] Paris is the capital of France.");
    List<JsonNode> results = awaitResults("faith", r -> r.size() >= 4);

    JsonNode broken = results.stream().filter(r -> r.path("trace_id").asText()
        .equals("rag-broken") && r.path("score").asText().equals("faithfulness"))
        .findFirst().orElseThrow();
    assertThat(broken.path("status").asText()).isEqualTo("undetermined");
    assertThat(broken.path("value").isNull()).isTrue();
    assertThat(broken.path("reason").asText()).contains("judge answered HTTP 5");
    assertThat(scores("rag-broken")).extracting(s -> s.path("name").asText())
        .doesNotContain("faithfulness");
    assertThat(find(scores("rag-ok"), "faithfulness").path("value").asDouble()).isEqualTo(1.0);
  }

  @Test
  void restart_keepsApiRules_reappliesConfigRules_dropsRulesGoneFromTheFile()
      throws Exception {
    String yaml = """
        online_eval:
          rules:
            - name: from-config
              filter: {environment: production}
              sample_rate: 0.1
              scorers: [{name: latency, options: {max_ms: 2000}}]
        """;
    keel = KeelFixture.start(dir, yaml);
    send("POST", RULES, "{\"name\": \"from-api\", \"scorers\": [\"json_valid\"]}");
    HttpResponse<String> disabled = send("POST", RULES + "/from-api/disable", "");
    HttpResponse<String> updated = send("PUT", RULES + "/from-config",
        "{\"sample_rate\": 0.3, \"scorers\": [\"json_valid\"]}");
    keel.close();

    keel = KeelFixture.start(dir, yaml);
    JsonNode list = KeelFixture.json(send("GET", RULES, null)).path("data");

    assertThat(disabled.statusCode()).isEqualTo(200);
    assertThat(updated.statusCode()).as(updated.body()).isEqualTo(200);
    assertThat(KeelFixture.json(updated).path("sample_rate").asDouble()).isEqualTo(0.3);
    assertThat(list).extracting(r -> r.path("name").asText())
        .containsExactly("from-api", "from-config");
    assertThat(list.get(0).path("enabled").asBoolean()).isFalse();
    assertThat(list.get(0).path("source").asText()).isEqualTo("api");
    assertThat(list.get(1).path("source").asText()).isEqualTo("config");
    assertThat(list.get(1).path("sample_rate").asDouble()).isEqualTo(0.1);
    assertThat(list.get(1).path("filter").path("environment").asText()).isEqualTo("production");
    keel.close();
    keel = KeelFixture.start(dir, "online_eval: {concurrency: 1}\n");
    assertThat(KeelFixture.json(send("GET", RULES, null)).path("data"))
        .extracting(r -> r.path("name").asText()).as("a rule gone from keel.yaml is removed")
        .containsExactly("from-api");
  }

  @Test
  void badRules_are400sNamingTheField_unknownIs404_virtualKeyRefused() throws Exception {
    keel = KeelFixture.start(dir);

    assertBad("{\"name\": \"r\", \"sample_rate\": 1.5, \"scorers\": [\"json_valid\"]}",
        "sample_rate must be a number from 0 to 1: 1.5");
    assertBad("{\"name\": \"r\", \"scorers\": [\"nope\"]}", "scorers[0]: unknown scorer: nope");
    assertBad("{\"name\": \"r\", \"scorers\": [{\"name\": \"rouge_l\", \"options\": "
        + "{\"mod\": 1}}]}", "scorers[0]: scorer rouge_l: unknown option 'mod'");
    assertBad("{\"name\": \"r\", \"scorers\": [\"faithfulness\"]}",
        "judge is required: scorers[0] (faithfulness) asks a judge model");
    assertBad("{\"name\": \"r\", \"filter\": {\"modle\": \"x\"}, \"scorers\": [\"json_valid\"]}",
        "unknown key filter.modle");
    assertBad("{\"name\": \"r\", \"max_daily_cost_usd\": -1, \"scorers\": [\"json_valid\"]}",
        "max_daily_cost_usd must be a non-negative amount in USD: -1");
    assertBad("{\"name\": \"bad name!\", \"scorers\": [\"json_valid\"]}", "name must be");
    assertBad("{\"name\": \"r\", \"delay_seconds\": 1.5, \"scorers\": [\"json_valid\"]}",
        "delay_seconds must be a whole number of seconds");
    assertBad("{\"name\": \"r\", \"scorers\": [{\"name\": \"json_valid\", \"min_mean\": 1}]}",
        "unknown key scorers[0].min_mean");
    send("POST", RULES, "{\"name\": \"dup\", \"scorers\": [\"json_valid\"]}");
    assertBad("{\"name\": \"dup\", \"scorers\": [\"json_valid\"]}", "named dup exists");
    assertThat(send("PUT", RULES + "/absent", "{\"scorers\": [\"json_valid\"]}").statusCode())
        .isEqualTo(404);
    assertThat(send("POST", RULES + "/absent/disable", "").statusCode()).isEqualTo(404);
    assertThat(keel.get(RULES, "authorization", "Bearer " + KeelFixture.PUBLIC_KEY)
        .statusCode()).isIn(401, 403);
    assertThat(keel.get(RULES).statusCode()).isEqualTo(401);
    assertThat(KeelFixture.json(send("GET", RULES, null)).path("data")).hasSize(1);
  }

  @Test
  void badConfigRule_stopsTheStartNamingTheField() {
    Path sub = dir.resolve("bad");
    String yaml = "online_eval:\n  rules:\n    - name: x\n      sample_rate: 2\n"
        + "      scorers: [json_valid]\n";

    assertThatThrownBy(() -> KeelFixture.start(java.nio.file.Files.createDirectories(sub), yaml))
        .hasMessageContaining("online_eval.rules[0].sample_rate must be a number from 0 to 1");
  }

  private void assertBad(String body, String message) {
    HttpResponse<String> r = send("POST", RULES, body);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
    assertThat(KeelFixture.json(r).path("message").asText()).contains(message);
  }

  private String chat(String traceName, String question) {
    HttpResponse<String> r = keel.chat("{\"model\": \"gpt-4o-mini\", \"messages\": [{\"role\": "
        + "\"user\", \"content\": \"" + question + "\"}]}", "x-keel-trace-name", traceName);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return r.headers().firstValue("x-keel-trace-id").orElseThrow();
  }

  private void ingest(List<String> ids, String output) {
    ArrayNode batch = KeelFixture.JSON.createArrayNode();
    for (String id : ids) {
      ObjectNode body = KeelFixture.JSON.createObjectNode().put("id", id).put("name", "app")
          .put("timestamp", T0).put("input", "question " + id).put("output", output);
      body.putArray("tags").add("app");
      batch.add(event("trace-create", body));
    }
    postIngestion(batch);
  }

  private void ingestWithRetrieval(String id, String answer) {
    ArrayNode batch = KeelFixture.JSON.createArrayNode();
    batch.add(event("trace-create", KeelFixture.JSON.createObjectNode().put("id", id)
        .put("timestamp", T0).put("input", "What is the capital of France?")
        .put("output", answer)));
    ObjectNode retrieval = KeelFixture.JSON.createObjectNode().put("id", id + "-r")
        .put("traceId", id).put("type", "RETRIEVER").put("name", "search")
        .put("startTime", T0);
    retrieval.putArray("output").add("Paris is the capital and largest city of France.");
    batch.add(event("observation-create", retrieval));
    postIngestion(batch);
  }

  private void postIngestion(ArrayNode batch) {
    ObjectNode envelope = KeelFixture.JSON.createObjectNode();
    envelope.set("batch", batch);
    HttpResponse<String> r = keel.post("/api/public/ingestion", envelope.toString(),
        "authorization", KeelFixture.basicPair(), "content-type", "application/json");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(207);
    assertThat(KeelFixture.json(r).path("errors")).as(r.body()).isEmpty();
  }

  private static ObjectNode event(String type, JsonNode body) {
    ObjectNode e = KeelFixture.JSON.createObjectNode().put("id", java.util.UUID.randomUUID()
        .toString()).put("type", type).put("timestamp", T0);
    e.set("body", body);
    return e;
  }

  private List<JsonNode> awaitResults(String rule, Predicate<List<JsonNode>> done)
      throws InterruptedException {
    List<JsonNode> r = List.of();
    for (int i = 0; i < 200 && !done.test(r); i++) {
      Thread.sleep(100);
      r = results(rule);
    }
    return r;
  }

  private List<JsonNode> results(String rule) {
    var out = new ArrayList<JsonNode>();
    KeelFixture.json(send("GET", "/api/keel/online-eval/results?limit=1000&rule=" + rule, null))
        .path("data").forEach(out::add);
    return out;
  }

  private JsonNode scores(String traceId) {
    return KeelFixture.json(keel.get("/api/public/v2/scores?traceId=" + traceId,
        "authorization", KeelFixture.bearerMaster())).path("data");
  }

  private static JsonNode find(JsonNode scores, String name) {
    for (JsonNode s : scores) {
      if (s.path("name").asText().equals(name)) {
        return s;
      }
    }
    throw new AssertionError("no score " + name + " in " + scores);
  }

  private HttpResponse<String> send(String method, String path, String body) {
    return keel.send(keel.request(path, "authorization", KeelFixture.bearerMaster(),
        "content-type", "application/json").method(method, body == null
            ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body)));
  }

  /** The sampling oracle, written out again: SHA-256 of rule, NUL, trace id; 53 bits. */
  private static double unit(String rule, String traceId) throws Exception {
    byte[] h = MessageDigest.getInstance("SHA-256").digest(
        (rule + "\u0000" + traceId).getBytes(StandardCharsets.UTF_8));
    return (ByteBuffer.wrap(h).getLong() >>> 11) / 0x1p53;
  }
}
