package dev.keel.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code POST /api/public/ingestion} through HTTP: every event type, the merge rules, per-event
 * errors in the 207, the public-key-only scope, the body limit and long ids.
 */
class IngestionIT {

  static final String T0 = "2025-05-01T10:00:00.000Z";
  static final String T1 = "2025-05-01T10:00:01.500Z";

  @TempDir
  static Path dir;
  static KeelFixture keel;

  @BeforeAll
  static void start() {
    keel = KeelFixture.start(dir, "limits:\n  max_ingestion_body_bytes: 200000\n");
  }

  @AfterAll
  static void stop() {
    keel.close();
  }

  @Test
  void ingest_everyEventType_storedAndReadBack() {
    String t = id();
    ArrayNode batch = batch(
        event("trace-create", body(t).put("name", "support").put("userId", "u1")
            .put("sessionId", "s-" + t).put("release", "r1").put("version", "v1")
            .put("input", "hi").set("tags", tags("a", "b"))),
        event("span-create", obs(t, t + "-span").put("name", "retrieve").put("endTime", T1)),
        event("generation-create", obs(t, t + "-gen").put("model", "gpt-4o")
            .put("parentObservationId", t + "-span").put("completionStartTime", T1)
            .set("usageDetails", KeelFixture.JSON.createObjectNode().put("input", 100)
                .put("output", 20))),
        event("event-create", obs(t, t + "-ev").put("name", "clicked")),
        event("observation-create", obs(t, t + "-legacy").put("type", "SPAN")),
        event("agent-create", obs(t, t + "-agent")),
        event("tool-create", obs(t, t + "-tool")),
        event("chain-create", obs(t, t + "-chain")),
        event("retriever-create", obs(t, t + "-retriever")),
        event("evaluator-create", obs(t, t + "-evaluator")),
        event("embedding-create", obs(t, t + "-embedding")),
        event("guardrail-create", obs(t, t + "-guardrail")),
        event("span-update", obs(t, t + "-span").put("output", "docs")),
        event("generation-update", obs(t, t + "-gen").put("output", "answer")),
        event("observation-update", obs(t, t + "-legacy").put("type", "SPAN")
            .put("level", "WARNING")),
        event("score-create", KeelFixture.JSON.createObjectNode().put("id", t + "-score")
            .put("traceId", t).put("name", "helpful").put("value", 0.75)),
        event("sdk-log", KeelFixture.JSON.createObjectNode().put("log", "hello")));

    JsonNode answer = ingest(batch, KeelFixture.basicPair(), 207);

    assertThat(answer.get("successes")).hasSize(16);
    assertThat(answer.get("errors")).isEmpty();
    JsonNode trace = readTrace(t);
    assertThat(trace.get("name").asText()).isEqualTo("support");
    assertThat(trace.get("userId").asText()).isEqualTo("u1");
    assertThat(trace.get("input").asText()).isEqualTo("hi");
    assertThat(trace.get("tags")).extracting(JsonNode::asText).containsExactly("a", "b");
    assertThat(trace.get("observations")).extracting(o -> o.get("type").asText())
        .containsExactlyInAnyOrder("SPAN", "GENERATION", "EVENT", "SPAN", "AGENT", "TOOL",
            "CHAIN", "RETRIEVER", "EVALUATOR", "EMBEDDING", "GUARDRAIL");
    JsonNode gen = observation(trace, t + "-gen");
    assertThat(gen.get("parentObservationId").asText()).isEqualTo(t + "-span");
    assertThat(gen.get("output").asText()).isEqualTo("answer");
    assertThat(gen.get("usageDetails").get("input").asLong()).isEqualTo(100);
    assertThat(gen.get("calculatedTotalCost").decimalValue()).isEqualByComparingTo("0.00045");
    assertThat(observation(trace, t + "-legacy").get("level").asText()).isEqualTo("WARNING");
    assertThat(trace.get("scores").get(0).get("value").asDouble()).isEqualTo(0.75);
  }

  @Test
  void ingest_sameBatchTwice_noDuplicates() {
    String t = id();
    ArrayNode batch = batch(event("trace-create", body(t).set("tags", tags("x"))),
        event("generation-create", obs(t, t + "-g").put("model", "gpt-4o")));

    ingest(batch, KeelFixture.basicPair(), 207);
    ingest(batch, KeelFixture.basicPair(), 207);

    JsonNode list = KeelFixture.json(keel.get("/api/public/traces?limit=100",
        "authorization", KeelFixture.basicPair()));
    assertThat(list.get("data").findValues("id").stream().filter(n -> n.asText().equals(t)))
        .hasSize(1);
    assertThat(readTrace(t).get("observations")).hasSize(1);
    assertThat(readTrace(t).get("tags")).hasSize(1);
  }

  @Test
  void ingest_updateBeforeCreate_mergedWithCreatesImmutableFields() {
    String t = id();
    ingest(batch(event("generation-update", KeelFixture.JSON.createObjectNode()
        .put("id", t + "-g").put("output", "late output").put("endTime", T1))),
        KeelFixture.basicPair(), 207);

    ingest(batch(event("trace-create", body(t)), event("generation-create",
        obs(t, t + "-g").put("name", "llm").put("model", "gpt-4o"))), KeelFixture.basicPair(), 207);

    JsonNode gen = observation(readTrace(t), t + "-g");
    assertThat(gen.get("traceId").asText()).isEqualTo(t);
    assertThat(gen.get("startTime").asText()).isEqualTo(T0);
    assertThat(gen.get("endTime").asText()).isEqualTo(T1);
    assertThat(gen.get("output").asText()).isEqualTo("late output");
    assertThat(gen.get("name").asText()).isEqualTo("llm");
  }

  @Test
  void ingest_metadataDeepMerges_tagsUnion_immutableFieldsKeepFirst() {
    String t = id();
    ingest(batch(event("trace-create", body(t).put("environment", "production")
        .set("metadata", json("{\"a\":{\"x\":1,\"y\":2},\"b\":1}")))),
        KeelFixture.basicPair(), 207);

    ingest(batch(event("trace-create", body(t).put("timestamp", T1).put("environment", "dev")
        .put("name", "renamed").set("metadata", json("{\"a\":{\"y\":3},\"c\":true}")))),
        KeelFixture.basicPair(), 207);
    ingest(batch(event("trace-create", body(t).set("tags", tags("b", "a")))),
        KeelFixture.basicPair(), 207);

    JsonNode trace = readTrace(t);
    assertThat(trace.get("metadata")).isEqualTo(json("{\"a\":{\"x\":1,\"y\":3},\"b\":1,"
        + "\"c\":true}"));
    assertThat(trace.get("timestamp").asText()).isEqualTo(T0);
    assertThat(trace.get("environment").asText()).isEqualTo("production");
    assertThat(trace.get("name").asText()).isEqualTo("renamed");
    assertThat(trace.get("tags")).extracting(JsonNode::asText).containsExactly("b", "a");
  }

  @Test
  void ingest_invalidEvents_reportedPerEvent_restStored() {
    String t = id();
    ArrayNode batch = batch(event("trace-create", body(t)),
        event("span-create", KeelFixture.JSON.createObjectNode().put("traceId", t)),
        event("no-such-type", body(t)),
        event("span-create", obs(t, "x".repeat(801))),
        event("generation-create", obs(t, t + "-bad").put("startTime", "2025-05-01T10:00:00")),
        event("score-create", KeelFixture.JSON.createObjectNode().put("traceId", t)
            .put("value", 1)));

    JsonNode answer = ingest(batch, KeelFixture.basicPair(), 207);

    assertThat(answer.get("successes")).hasSize(1);
    assertThat(answer.get("errors")).hasSize(5);
    assertThat(answer.get("errors")).allSatisfy(e -> {
      assertThat(e.get("status").asInt()).isEqualTo(400);
      assertThat(e.get("message").asText()).isEqualTo("Invalid request data");
    });
    assertThat(answer.get("errors").get(0).get("error").asText()).contains("body.id");
    assertThat(answer.get("errors").get(1).get("error").asText()).contains("no-such-type");
    assertThat(answer.get("errors").get(2).get("error").asText()).contains("800");
    assertThat(answer.get("errors").get(3).get("error").asText()).contains("offset");
    assertThat(answer.get("errors").get(4).get("error").asText()).contains("name");
    assertThat(readTrace(t).get("id").asText()).isEqualTo(t);
  }

  @Test
  void ingest_publicKeyAlone_scoresOnly_othersGetPerEvent401() {
    String t = id();
    ingest(batch(event("trace-create", body(t))), KeelFixture.basicPair(), 207);
    ArrayNode batch = batch(event("trace-create", body(id())),
        event("score-create", KeelFixture.JSON.createObjectNode().put("id", t + "-s")
            .put("traceId", t).put("name", "ok").put("value", 1)),
        event("sdk-log", KeelFixture.JSON.createObjectNode().put("log", "x")));

    JsonNode answer = ingest(batch, "Bearer " + KeelFixture.PUBLIC_KEY, 207);

    assertThat(answer.get("successes")).hasSize(1);
    assertThat(answer.get("errors")).hasSize(1);
    assertThat(answer.get("errors").get(0).get("status").asInt()).isEqualTo(401);
    assertThat(answer.get("errors").get(0).get("message").asText())
        .isEqualTo("Access Scope Denied");
  }

  @Test
  void ingest_badBodies_clear4xx() {
    assertThat(post("{\"events\":[]}", KeelFixture.basicPair()).statusCode()).isEqualTo(400);
    assertThat(KeelFixture.json(post("[1,2]", KeelFixture.basicPair())).get("message")
        .asText()).isEqualTo("Invalid request data");
    assertThat(post("{not json", KeelFixture.basicPair()).statusCode()).isEqualTo(400);
    assertThat(post("{\"batch\":[]}", null).statusCode()).isEqualTo(401);
    assertThat(post("{\"batch\":[]}", "Basic eDp5").statusCode()).isEqualTo(401);
    String big = "{\"batch\":[{\"id\":\"e\",\"type\":\"trace-create\",\"timestamp\":\"" + T0
        + "\",\"body\":{\"input\":\"" + "x".repeat(250_000) + "\"}}]}";
    HttpResponse<String> tooLarge = post(big, KeelFixture.basicPair());
    assertThat(tooLarge.statusCode()).isEqualTo(413);
    assertThat(KeelFixture.json(tooLarge).get("message").asText()).contains("limit");
  }

  @Test
  void ingest_masterKeyBearer_accepted() {
    String t = id();

    ingest(batch(event("trace-create", body(t))), KeelFixture.bearerMaster(), 207);

    assertThat(readTrace(t).get("id").asText()).isEqualTo(t);
  }

  @Test
  void ingest_clientCost_winsOverComputed_andOpenAiUsageSplit() {
    String t = id();
    ObjectNode gen = obs(t, t + "-g").put("model", "gpt-4o");
    gen.set("usageDetails", json("{\"prompt_tokens\":100,\"completion_tokens\":30,"
        + "\"total_tokens\":130,\"prompt_tokens_details\":{\"cached_tokens\":40},"
        + "\"completion_tokens_details\":{\"reasoning_tokens\":10}}"));
    gen.set("costDetails", json("{\"input\":0.5,\"output\":0.25}"));

    ingest(batch(event("trace-create", body(t)), event("generation-create", gen)),
        KeelFixture.basicPair(), 207);

    JsonNode stored = observation(readTrace(t), t + "-g");
    assertThat(stored.get("usageDetails")).isEqualTo(json("{\"input\":60,\"output\":20,"
        + "\"input_cached_tokens\":40,\"output_reasoning_tokens\":10,\"total\":130}"));
    assertThat(stored.get("costDetails").get("total").decimalValue())
        .isEqualByComparingTo("0.75");
    assertThat(stored.get("calculatedTotalCost").decimalValue()).isEqualByComparingTo("0.75");
  }

  @Test
  void ingest_pricedModelWithoutUsage_tokensEstimated() {
    String t = id();

    ingest(batch(event("trace-create", body(t)), event("generation-create", obs(t, t + "-g")
        .put("model", "gpt-4o").put("input", "Hello there, how are you today?")
        .put("output", "Fine, thanks."))), KeelFixture.basicPair(), 207);

    // Counted off the ingestion path, a while after the commit (docs/ingestion.md).
    JsonNode gen = awaitEstimate(t, t + "-g");
    assertThat(gen.get("usageDetails").get("input").asLong()).isPositive();
    assertThat(gen.get("usageDetails").get("output").asLong()).isPositive();
    assertThat(gen.get("metadata").get("usage_estimated").asBoolean()).isTrue();
    assertThat(gen.get("calculatedTotalCost").decimalValue()).isPositive();
    assertThat(readTrace(t).get("totalCost").decimalValue())
        .isEqualByComparingTo(gen.get("calculatedTotalCost").decimalValue());
  }

  @Test
  void ingest_usageInALaterUpdate_isKeptAndNeverEstimated() {
    String t = id();
    ingest(batch(event("trace-create", body(t)), event("generation-create", obs(t, t + "-g")
        .put("model", "gpt-4o").put("input", "Hello there, how are you today?")
        .put("output", "Fine, thanks."))), KeelFixture.basicPair(), 207);
    ingest(batch(event("generation-update", KeelFixture.JSON.createObjectNode()
        .put("id", t + "-g").put("traceId", t).put("endTime", T1)
        .set("usageDetails", KeelFixture.JSON.createObjectNode().put("input", 1000)
            .put("output", 100)))), KeelFixture.basicPair(), 207);
    // Rows are counted in the order they were noted: once a generation sent after these is
    // counted, the first one has been seen by the counter too.
    ingest(batch(event("generation-create", obs(t, t + "-later").put("model", "gpt-4o")
        .put("input", "Another question"))), KeelFixture.basicPair(), 207);
    awaitEstimate(t, t + "-later");

    JsonNode gen = observation(readTrace(t), t + "-g");
    assertThat(gen.get("usageDetails")).isEqualTo(KeelFixture.json(
        "{\"input\":1000,\"output\":100,\"total\":1100}"));
    assertThat(gen.get("metadata").has("usage_estimated")).isFalse();
    // gpt-4o: $2.50 per million input tokens, $10 per million output tokens.
    assertThat(gen.get("calculatedTotalCost").decimalValue()).isEqualByComparingTo("0.0035");
  }

  @Test
  void ingest_newTextOnAnEstimatedGeneration_isCountedAgain() {
    String t = id();
    ingest(batch(event("trace-create", body(t)), event("generation-create", obs(t, t + "-g")
        .put("model", "gpt-4o").put("input", "Hello there").put("output", "Fine."))),
        KeelFixture.basicPair(), 207);
    long before = awaitEstimate(t, t + "-g").get("usageDetails").get("output").asLong();

    ingest(batch(event("generation-update", KeelFixture.JSON.createObjectNode()
        .put("id", t + "-g").put("traceId", t)
        .put("output", "A much longer answer than the first one, with many more words in it,"
            + " so that it has more tokens."))), KeelFixture.basicPair(), 207);

    JsonNode gen = await(t, t + "-g",
        o -> o.get("usageDetails").get("output").asLong() > before);
    assertThat(gen.get("usageDetails").get("input").asLong()).isPositive();
    assertThat(gen.get("metadata").get("usage_estimated").asBoolean()).isTrue();
  }

  static JsonNode awaitEstimate(String traceId, String id) {
    return await(traceId, id, o -> o.path("metadata").path("usage_estimated").asBoolean());
  }

  // Polls the public API until the observation satisfies {@code done} (at most 30 s).
  static JsonNode await(String traceId, String id, Predicate<JsonNode> done) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (true) {
      JsonNode o = observation(readTrace(traceId), id);
      if (done.test(o)) {
        return o;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("observation " + id + " never got there: " + o);
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }

  // Helpers: events and bodies in the v3 SDK's wire shape.

  static String id() {
    return UUID.randomUUID().toString();
  }

  static ObjectNode body(String id) {
    return KeelFixture.JSON.createObjectNode().put("id", id).put("timestamp", T0);
  }

  static ObjectNode obs(String traceId, String id) {
    return KeelFixture.JSON.createObjectNode().put("id", id).put("traceId", traceId)
        .put("startTime", T0);
  }

  static ObjectNode event(String type, JsonNode body) {
    ObjectNode e = KeelFixture.JSON.createObjectNode().put("id", id()).put("type", type)
        .put("timestamp", T0);
    e.set("body", body);
    return e;
  }

  static ArrayNode batch(JsonNode... events) {
    ArrayNode a = KeelFixture.JSON.createArrayNode();
    for (JsonNode e : events) {
      a.add(e);
    }
    return a;
  }

  static ArrayNode tags(String... tags) {
    ArrayNode a = KeelFixture.JSON.createArrayNode();
    for (String t : tags) {
      a.add(t);
    }
    return a;
  }

  static JsonNode json(String text) {
    return KeelFixture.json(text);
  }

  static JsonNode ingest(ArrayNode batch, String auth, int status) {
    ObjectNode root = KeelFixture.JSON.createObjectNode();
    root.set("batch", batch);
    HttpResponse<String> r = post(root.toString(), auth);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    return KeelFixture.json(r);
  }

  static HttpResponse<String> post(String body, String auth) {
    HttpRequest.Builder b = keel.request("/api/public/ingestion", "content-type",
        "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
    if (auth != null) {
      b.header("authorization", auth);
    }
    return keel.send(b);
  }

  static JsonNode readTrace(String id) {
    HttpResponse<String> r = keel.get("/api/public/traces/" + id, "authorization",
        KeelFixture.basicPair());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return KeelFixture.json(r);
  }

  static JsonNode observation(JsonNode trace, String id) {
    for (JsonNode o : trace.get("observations")) {
      if (o.get("id").asText().equals(id)) {
        return o;
      }
    }
    throw new AssertionError("no observation " + id + " in " + trace);
  }
}
