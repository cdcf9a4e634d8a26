package dev.keel.server;

import static dev.keel.server.IngestionIT.batch;
import static dev.keel.server.IngestionIT.body;
import static dev.keel.server.IngestionIT.event;
import static dev.keel.server.IngestionIT.id;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Scores, score configs, sessions, trace deletion and retention through HTTP. */
class ScoreSessionIT {

  @TempDir
  static Path dir;

  @BeforeAll
  static void start() {
    IngestionIT.keel = KeelFixture.start(dir);
  }

  @AfterAll
  static void stop() {
    IngestionIT.keel.close();
  }

  @Test
  void scores_withoutConfig_typesInferredAndListed() {
    String t = trace(id(), "s-" + id());

    String numeric = postScore("{\"traceId\":\"" + t + "\",\"name\":\"acc\",\"value\":0.9}");
    String cat = postScore("{\"traceId\":\"" + t + "\",\"name\":\"tone\",\"value\":\"kind\"}");
    String bool = postScore("{\"traceId\":\"" + t + "\",\"name\":\"ok\",\"value\":1,"
        + "\"dataType\":\"BOOLEAN\"}");

    assertThat(getScore(numeric).get("dataType").asText()).isEqualTo("NUMERIC");
    assertThat(getScore(cat).get("stringValue").asText()).isEqualTo("kind");
    assertThat(getScore(cat).get("dataType").asText()).isEqualTo("CATEGORICAL");
    assertThat(getScore(bool).get("stringValue").asText()).isEqualTo("True");
    JsonNode list = get("/api/public/v2/scores?traceId=" + t + "&limit=2");
    assertThat(list.get("data")).hasSize(2);
    assertThat(list.get("meta").get("totalItems").asInt()).isEqualTo(3);
    assertThat(get("/api/public/v2/scores?traceId=" + t + "&name=tone").get("data")).hasSize(1);
    assertThat(IngestionIT.readTrace(t).get("scores")).hasSize(3);
  }

  @Test
  void scores_withConfig_validatedAndNamedByConfig() {
    String t = trace(id(), null);
    String numericConfig = postConfig("{\"name\":\"quality\",\"dataType\":\"NUMERIC\","
        + "\"minValue\":0,\"maxValue\":5}").get("id").asText();
    JsonNode catConfig = postConfig("{\"name\":\"sentiment\",\"dataType\":\"CATEGORICAL\","
        + "\"categories\":[{\"value\":1,\"label\":\"good\"},{\"value\":0,\"label\":\"bad\"}]}");
    String catId = catConfig.get("id").asText();

    String inRange = postScore("{\"traceId\":\"" + t + "\",\"name\":\"ignored\",\"value\":4,"
        + "\"configId\":\"" + numericConfig + "\"}");
    HttpResponse<String> outOfRange = post("/api/public/scores", "{\"traceId\":\"" + t
        + "\",\"name\":\"q\",\"value\":7,\"configId\":\"" + numericConfig + "\"}");
    String good = postScore("{\"traceId\":\"" + t + "\",\"name\":\"s\",\"value\":\"good\","
        + "\"configId\":\"" + catId + "\"}");
    HttpResponse<String> unknownLabel = post("/api/public/scores", "{\"traceId\":\"" + t
        + "\",\"name\":\"s\",\"value\":\"meh\",\"configId\":\"" + catId + "\"}");
    HttpResponse<String> wrongType = post("/api/public/scores", "{\"traceId\":\"" + t
        + "\",\"name\":\"s\",\"value\":1,\"dataType\":\"NUMERIC\",\"configId\":\"" + catId
        + "\"}");
    HttpResponse<String> noConfig = post("/api/public/scores", "{\"traceId\":\"" + t
        + "\",\"name\":\"s\",\"value\":1,\"configId\":\"nope\"}");

    assertThat(getScore(inRange).get("name").asText()).isEqualTo("quality");
    assertThat(outOfRange.statusCode()).isEqualTo(400);
    assertThat(outOfRange.body()).contains("outside the config's range");
    assertThat(getScore(good).get("value").asDouble()).isEqualTo(1.0);
    assertThat(unknownLabel.statusCode()).isEqualTo(400);
    assertThat(unknownLabel.body()).contains("not a category");
    assertThat(wrongType.statusCode()).isEqualTo(400);
    assertThat(noConfig.statusCode()).isEqualTo(400);
    assertThat(get("/api/public/score-configs/" + catId).get("categories")).hasSize(2);
    assertThat(get("/api/public/score-configs").get("data").size()).isGreaterThanOrEqualTo(2);
  }

  @Test
  void scores_badInput_clear400s_andDelete() {
    assertThat(post("/api/public/scores", "{\"name\":\"x\",\"value\":1}").statusCode())
        .isEqualTo(400);
    assertThat(post("/api/public/scores", "{\"traceId\":\"t\",\"name\":\"x\","
        + "\"value\":\"" + "y".repeat(501) + "\",\"dataType\":\"TEXT\"}").statusCode())
        .isEqualTo(400);
    assertThat(post("/api/public/score-configs", "{\"name\":\"b\",\"dataType\":\"BOOLEAN\","
        + "\"categories\":[]}").statusCode()).isEqualTo(400);
    String t = trace(id(), null);
    String s = postScore("{\"traceId\":\"" + t + "\",\"name\":\"x\",\"value\":1}");

    HttpResponse<String> deleted = delete("/api/public/scores/" + s, null);

    assertThat(deleted.statusCode()).isEqualTo(204);
    assertThat(IngestionIT.keel.get("/api/public/scores/" + s, "authorization",
        KeelFixture.basicPair()).statusCode()).isEqualTo(404);
  }

  @Test
  void scoresList_unknownDataTypeOrSource_is400NamingTheAllowedValues() {
    HttpResponse<String> type = IngestionIT.keel.get("/api/public/v2/scores?dataType=WEIRD",
        "authorization", KeelFixture.basicPair());
    HttpResponse<String> source = IngestionIT.keel.get("/api/public/v2/scores?source=robot",
        "authorization", KeelFixture.basicPair());

    assertThat(type.statusCode()).isEqualTo(400);
    assertThat(type.body()).contains(
        "dataType must be one of NUMERIC, BOOLEAN, CATEGORICAL, TEXT: WEIRD");
    assertThat(source.statusCode()).isEqualTo(400);
    assertThat(source.body()).contains("source must be one of API, EVAL, ANNOTATION: robot");
    assertThat(get("/api/public/v2/scores?dataType=TEXT&source=API").get("data").isArray())
        .isTrue();
  }

  @Test
  void scores_publicKeyAlone_mayPostButNotRead() {
    String t = trace(id(), null);
    HttpResponse<String> posted = IngestionIT.keel.post("/api/public/scores",
        "{\"traceId\":\"" + t + "\",\"name\":\"x\",\"value\":1}", "authorization",
        "Bearer " + KeelFixture.PUBLIC_KEY, "content-type", "application/json");
    HttpResponse<String> read = IngestionIT.keel.get("/api/public/v2/scores", "authorization",
        "Bearer " + KeelFixture.PUBLIC_KEY);

    assertThat(posted.statusCode()).isEqualTo(200);
    assertThat(read.statusCode()).isEqualTo(403);
  }

  @Test
  void sessions_listAndDetail_tracesInOrder() {
    String session = "sess-" + id();
    String first = id();
    String second = id();
    IngestionIT.ingest(batch(
        event("trace-create", body(second).put("sessionId", session)
            .put("timestamp", "2025-05-01T10:05:00.000Z")),
        event("trace-create", body(first).put("sessionId", session))),
        KeelFixture.basicPair(), 207);

    JsonNode detail = get("/api/public/sessions/" + session);
    JsonNode list = get("/api/public/sessions?fromTimestamp=2025-05-01T09:59:00Z"
        + "&toTimestamp=2025-05-01T10:00:01Z&limit=100");

    assertThat(detail.get("createdAt").asText()).isEqualTo(IngestionIT.T0);
    assertThat(detail.get("traces")).extracting(n -> n.get("id").asText())
        .containsExactly(first, second);
    assertThat(list.get("data")).extracting(n -> n.get("id").asText()).contains(session);
    assertThat(IngestionIT.keel.get("/api/public/sessions/none", "authorization",
        KeelFixture.basicPair()).statusCode()).isEqualTo(404);
    assertThat(get("/api/public/traces?sessionId=" + session).get("data")).hasSize(2);
  }

  @Test
  void deleteTraces_removesTracesObservationsAndScores() {
    String a = trace(id(), null);
    String b = trace(id(), null);
    String c = trace(id(), null);
    String score = postScore("{\"traceId\":\"" + a + "\",\"name\":\"x\",\"value\":1}");

    assertThat(delete("/api/public/traces/" + a, null).statusCode()).isEqualTo(200);
    HttpResponse<String> bulk = delete("/api/public/traces", "{\"traceIds\":[\"" + b + "\",\""
        + c + "\"]}");

    assertThat(bulk.statusCode()).isEqualTo(200);
    assertThat(KeelFixture.json(bulk).get("deleted").asInt()).isEqualTo(2);
    for (String t : new String[] {a, b, c}) {
      assertThat(IngestionIT.keel.get("/api/public/traces/" + t, "authorization",
          KeelFixture.basicPair()).statusCode()).isEqualTo(404);
      assertThat(get("/api/public/observations?traceId=" + t).get("data")).isEmpty();
    }
    assertThat(IngestionIT.keel.get("/api/public/scores/" + score, "authorization",
        KeelFixture.basicPair()).statusCode()).isEqualTo(404);
    assertThat(delete("/api/public/traces", "{\"traceIds\":[]}").statusCode()).isEqualTo(400);
  }

  @Test
  void retention_deletesOnlyOlderTraces() {
    String old = id();
    String recent = id();
    String recentTime = Instant.now().toString();
    IngestionIT.ingest(batch(event("trace-create", body(old)),
        event("span-create", IngestionIT.obs(old, old + "-s")),
        event("trace-create", body(recent).put("timestamp", recentTime))),
        KeelFixture.basicPair(), 207);
    var job = new dev.keel.tracing.retention.RetentionJob(
        IngestionIT.keel.server.store().traces(), Duration.ofDays(30),
        java.time.Clock.systemUTC());

    long removed = job.runOnce();

    assertThat(removed).isGreaterThanOrEqualTo(1);
    assertThat(IngestionIT.keel.get("/api/public/traces/" + old, "authorization",
        KeelFixture.basicPair()).statusCode()).isEqualTo(404);
    assertThat(get("/api/public/observations?traceId=" + old).get("data")).isEmpty();
    assertThat(IngestionIT.readTrace(recent).get("id").asText()).isEqualTo(recent);
  }

  private static String trace(String id, String session) {
    var body = body(id);
    if (session != null) {
      body.put("sessionId", session);
    }
    IngestionIT.ingest(batch(event("trace-create", body), event("span-create",
        IngestionIT.obs(id, id + "-span"))), KeelFixture.basicPair(), 207);
    return id;
  }

  private static String postScore(String body) {
    HttpResponse<String> r = post("/api/public/scores", body);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return KeelFixture.json(r).get("id").asText();
  }

  private static JsonNode postConfig(String body) {
    HttpResponse<String> r = post("/api/public/score-configs", body);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return KeelFixture.json(r);
  }

  private static JsonNode getScore(String id) {
    return get("/api/public/scores/" + id);
  }

  private static HttpResponse<String> post(String path, String body) {
    return IngestionIT.keel.post(path, body, "authorization", KeelFixture.basicPair(),
        "content-type", "application/json");
  }

  private static JsonNode get(String path) {
    HttpResponse<String> r = IngestionIT.keel.get(path, "authorization",
        KeelFixture.basicPair());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return KeelFixture.json(r);
  }

  private static HttpResponse<String> delete(String path, String body) {
    HttpRequest.Builder b = IngestionIT.keel.request(path, "authorization",
        KeelFixture.basicPair(), "content-type", "application/json");
    b.method("DELETE", body == null ? HttpRequest.BodyPublishers.noBody()
        : HttpRequest.BodyPublishers.ofString(body));
    return IngestionIT.keel.send(b);
  }
}
