package dev.keel.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Online evaluation rules and their judge, against a real Keel whose simulator is provider and
 * judge: a judge the gateway cannot route and an incomplete judge scorer are refused when the
 * rule is made (API and keel.yaml), and a judge that keeps failing pauses the rule's judging
 * instead of being asked for every trace.
 */
class OnlineEvalJudgeIT {

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
  void unroutableJudgeOrIncompleteJudgeScorer_is400NamingIt_routeNameAccepted() {
    keel = KeelFixture.start(dir, """
        routing:
          routes:
            - name: judges
              deployments: [{model: gpt-4o-mini}]
        """);

    HttpResponse<String> unknown = send("POST", RULES, """
        {"name": "r", "judge": "nonexistent-model", "scorers": ["json_valid"]}""");
    HttpResponse<String> noRubric = send("POST", RULES, """
        {"name": "r", "judge": "gpt-4o-mini", "scorers": ["json_valid", "rubric"]}""");
    HttpResponse<String> viaRoute = send("POST", RULES, """
        {"name": "routed", "judge": {"model": "judges"},
         "scorers": [{"name": "g_eval", "options": {"rubric": "Is it polite?"}}]}""");
    HttpResponse<String> badUpdate = send("PUT", RULES + "/routed", """
        {"judge": "anthropic/", "scorers": ["faithfulness"]}""");

    assertThat(unknown.statusCode()).as(unknown.body()).isEqualTo(400);
    assertThat(message(unknown)).startsWith("judge: model 'nonexistent-model' does not exist;"
        + " the simulator serves [");
    assertThat(noRubric.statusCode()).as(noRubric.body()).isEqualTo(400);
    assertThat(message(noRubric)).startsWith("scorers[1]: scorer rubric needs option 'rubric'");
    assertThat(viaRoute.statusCode()).as(viaRoute.body()).isEqualTo(201);
    assertThat(badUpdate.statusCode()).as(badUpdate.body()).isEqualTo(400);
    assertThat(message(badUpdate)).startsWith("judge: model 'anthropic/' names a provider but"
        + " no model");
    JsonNode rules = KeelFixture.json(send("GET", RULES, null)).path("data");
    assertThat(rules).extracting(r -> r.path("name").asText()).containsExactly("routed");
    assertThat(rules.get(0).path("judge").path("model").asText()).isEqualTo("judges");
  }

  @Test
  void configRuleWithUnroutableJudge_stopsTheStartNamingIt() throws Exception {
    Path sub = Files.createDirectories(dir.resolve("bad"));
    String yaml = "online_eval:\n  rules:\n    - name: x\n      judge: {model: gpt-5-turbo}\n"
        + "      scorers: [{name: rubric, options: {rubric: \"Is it right?\"}}]\n";

    assertThatThrownBy(() -> KeelFixture.start(sub, yaml)).hasMessageContaining(
        "online_eval.rules[0].judge: model 'gpt-5-turbo' does not exist");
  }

  @Test
  void judgeFailingInARow_pausesJudging_deterministicScorersGoOn_enableResumes()
      throws Exception {
    keel = KeelFixture.start(dir, "online_eval:\n  concurrency: 1\n");
    send("POST", RULES, """
        {"name": "down", "delay_seconds": 0, "judge": "gpt-4o-mini",
         "filter": {"trace_name": "app"}, "scorers": ["json_valid",
         {"name": "rubric", "options": {"rubric": "Is the answer helpful?"}}]}""");

    for (int i = 0; i < 8; i++) {
      // The judge sees the answer, so the simulator refuses every judge call.
      ingest("t" + i, "[[sim fault=content_policy]] answer " + i);
    }
    List<JsonNode> results = awaitResults("down", r -> r.size() >= 16);
    JsonNode rule = KeelFixture.json(send("GET", RULES + "/down", null));
    String metrics = keel.get("/metrics", "authorization", KeelFixture.bearerMaster()).body();
    int judgeTraces = judgeTraces();

    List<JsonNode> rubric = results.stream().filter(r -> r.path("score").asText()
        .equals("rubric")).toList();
    assertThat(rubric).filteredOn(r -> r.path("status").asText().equals("undetermined"))
        .hasSize(5).allSatisfy(r -> assertThat(r.path("reason").asText())
            .contains("judge answered HTTP 400: ", "returned HTTP 400 (content policy)")
            .doesNotContain("attempts"));
    assertThat(rubric).filteredOn(r -> r.path("status").asText().equals("skipped"))
        .hasSize(3).allSatisfy(r -> assertThat(r.path("reason").asText())
            .contains("the rule's judge failed 5 times in a row", "judging is paused until"));
    assertThat(results).filteredOn(r -> r.path("score").asText().equals("json_valid"))
        .hasSize(8).allSatisfy(r -> assertThat(r.path("status").asText()).isEqualTo("scored"));
    assertThat(judgeTraces).as("a 400 is not asked again: one call each, none while paused")
        .isEqualTo(5);
    assertThat(rule.path("paused").asBoolean()).isTrue();
    assertThat(rule.path("pause_reason").asText()).isEqualTo("judge_failing");
    assertThat(rule.path("judge_failures").asInt()).isEqualTo(5);
    assertThat(rule.path("last_judge_error").asText())
        .contains("judge answered HTTP 400: ", "returned HTTP 400 (content policy)");
    assertThat(rule.path("judge_retry_at").asText()).isNotEmpty();
    assertThat(metrics).contains("keel_online_eval_judge_paused_total{rule=\"down\"} 1",
        "keel_online_eval_skipped_total{reason=\"judge_failing\",rule=\"down\"} 3");

    HttpResponse<String> enabled = send("POST", RULES + "/down/enable", "");
    ingest("good", "Reset it from the account page.");
    List<JsonNode> after = awaitResults("down", r -> r.size() >= 18);

    assertThat(KeelFixture.json(enabled).path("paused").asBoolean()).isFalse();
    assertThat(KeelFixture.json(enabled).path("judge_failures").asInt()).isZero();
    assertThat(KeelFixture.json(enabled).path("pause_reason").isNull()).isTrue();
    assertThat(after).filteredOn(r -> r.path("trace_id").asText().equals("good")
        && r.path("score").asText().equals("rubric")).singleElement()
        .satisfies(r -> assertThat(r.path("status").asText()).isEqualTo("scored"));
  }

  private void ingest(String id, String output) {
    ObjectNode body = KeelFixture.JSON.createObjectNode().put("id", id).put("name", "app")
        .put("timestamp", T0).put("input", "How do I reset my password?").put("output", output);
    ObjectNode event = KeelFixture.JSON.createObjectNode().put("id", java.util.UUID.randomUUID()
        .toString()).put("type", "trace-create").put("timestamp", T0);
    event.set("body", body);
    ArrayNode batch = KeelFixture.JSON.createArrayNode().add(event);
    ObjectNode envelope = KeelFixture.JSON.createObjectNode();
    envelope.set("batch", batch);
    HttpResponse<String> r = keel.post("/api/public/ingestion", envelope.toString(),
        "authorization", KeelFixture.basicPair(), "content-type", "application/json");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(207);
  }

  private int judgeTraces() throws InterruptedException {
    int n = -1;
    for (int i = 0; i < 50; i++) {
      int now = KeelFixture.json(keel.get("/api/public/traces?limit=100&tags=keel-online-eval",
          "authorization", KeelFixture.bearerMaster())).path("data").size();
      if (now == n) {
        return n;
      }
      n = now;
      Thread.sleep(200);
    }
    return n;
  }

  private List<JsonNode> awaitResults(String rule, Predicate<List<JsonNode>> done)
      throws InterruptedException {
    List<JsonNode> r = List.of();
    for (int i = 0; i < 300 && !done.test(r); i++) {
      Thread.sleep(100);
      var out = new ArrayList<JsonNode>();
      KeelFixture.json(send("GET", "/api/keel/online-eval/results?limit=1000&rule=" + rule,
          null)).path("data").forEach(out::add);
      r = out;
    }
    return r;
  }

  private static String message(HttpResponse<String> r) {
    return KeelFixture.json(r).path("message").asText();
  }

  private HttpResponse<String> send(String method, String path, String body) {
    return keel.send(keel.request(path, "authorization", KeelFixture.bearerMaster(),
        "content-type", "application/json").method(method, body == null
            ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body)));
  }
}
