package dev.keel.server;

import static dev.keel.server.KeelFixture.basicPair;
import static dev.keel.server.KeelFixture.bearerMaster;
import static dev.keel.server.KeelFixture.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** The Langfuse datasets API and Keel's dataset batch routes on a real Keel over SQLite. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DatasetApiIT {

  @TempDir
  static Path dir;
  private KeelFixture keel;

  @BeforeAll
  void start() {
    keel = KeelFixture.start(dir);
  }

  @AfterAll
  void stop() {
    keel.close();
  }

  @Test
  void createDataset_upsertsByName_andListsAndGets() {
    JsonNode made = json(post("/api/public/v2/datasets",
        "{\"name\": \"qa\", \"description\": \"first\", \"metadata\": {\"team\": \"x\"}}"));
    JsonNode again = json(post("/api/public/datasets", "{\"name\": \"qa\"}"));

    JsonNode got = json(keel.get("/api/public/v2/datasets/qa", "authorization", basicPair()));
    JsonNode list = json(keel.get("/api/public/v2/datasets?limit=10", "authorization",
        basicPair()));

    assertThat(again.path("id").asText()).isEqualTo(made.path("id").asText());
    assertThat(got.path("description").asText()).isEqualTo("first");
    assertThat(got.path("metadata").path("team").asText()).isEqualTo("x");
    assertThat(got.path("projectId").asText()).isEqualTo(KeelFixture.PROJECT);
    assertThat(got.path("version").asInt()).isZero();
    assertThat(got.path("createdAt").asText()).matches("\\d{4}-.*\\.\\d{3}Z");
    assertThat(list.path("data")).extracting(n -> n.path("name").asText()).contains("qa");
    assertThat(list.path("meta").path("totalItems").asInt()).isPositive();
  }

  @Test
  void items_upsertMakesVersions_andOldVersionsReadByNumberOrTime() {
    post("/api/public/datasets", "{\"name\": \"ver\"}");
    JsonNode item = json(post("/api/public/dataset-items", """
        {"datasetName": "ver", "id": "v-1", "input": {"q": "2+2"}, "expectedOutput": "4",
         "metadata": {"k": 1}, "contexts": ["arithmetic"]}"""));
    post("/api/public/dataset-items", """
        {"datasetName": "ver", "id": "v-1", "input": {"q": "2+3"}, "expectedOutput": "5"}""");

    JsonNode v1 = json(keel.get("/api/public/dataset-items?datasetName=ver&version=1",
        "authorization", basicPair()));
    JsonNode latest = json(keel.get("/api/public/dataset-items?datasetName=ver",
        "authorization", basicPair()));
    JsonNode byTime = json(keel.get("/api/public/dataset-items?datasetName=ver&version="
        + "2000-01-01T00:00:00Z", "authorization", basicPair()));

    assertThat(item.path("status").asText()).isEqualTo("ACTIVE");
    assertThat(item.path("datasetName").asText()).isEqualTo("ver");
    assertThat(item.path("contexts").get(0).asText()).isEqualTo("arithmetic");
    assertThat(v1.path("data").get(0).path("input").path("q").asText()).isEqualTo("2+2");
    assertThat(latest.path("data").get(0).path("input").path("q").asText()).isEqualTo("2+3");
    assertThat(latest.path("data").get(0).path("version").asInt()).isEqualTo(2);
    assertThat(byTime.path("data")).isEmpty();
    assertThat(json(keel.get("/api/public/v2/datasets/ver", "authorization", basicPair()))
        .path("version").asInt()).isEqualTo(2);
  }

  @Test
  void itemGetAndDelete_andV1DatasetListsItems() {
    post("/api/public/datasets", "{\"name\": \"del\"}");
    post("/api/public/dataset-items", "{\"datasetName\": \"del\", \"id\": \"d-1\","
        + " \"input\": \"a\"}");
    post("/api/public/dataset-items", "{\"datasetName\": \"del\", \"id\": \"d-2\","
        + " \"input\": \"b\"}");

    JsonNode one = json(keel.get("/api/public/dataset-items/d-1", "authorization",
        basicPair()));
    HttpResponse<String> deleted = keel.send(keel.request("/api/public/dataset-items/d-1",
        "authorization", basicPair()).DELETE());
    JsonNode v1 = json(keel.get("/api/public/datasets/del", "authorization", basicPair()));

    assertThat(one.path("input").asText()).isEqualTo("a");
    assertThat(deleted.statusCode()).isEqualTo(200);
    assertThat(keel.get("/api/public/dataset-items/d-1", "authorization", basicPair())
        .statusCode()).isEqualTo(404);
    assertThat(v1.path("items")).extracting(n -> n.path("id").asText()).containsExactly("d-2");
    assertThat(v1.path("version").asInt()).isEqualTo(3);
  }

  @Test
  void runItems_createRun_andReadBackThroughEveryRoute() {
    JsonNode ds = json(post("/api/public/datasets", "{\"name\": \"runs\"}"));
    post("/api/public/dataset-items", "{\"datasetName\": \"runs\", \"id\": \"r-1\","
        + " \"input\": \"a\"}");

    JsonNode link = json(post("/api/public/dataset-run-items", """
        {"runName": "exp 1", "runDescription": "baseline", "metadata": {"model": "m"},
         "datasetItemId": "r-1", "traceId": "trace-1", "observationId": "obs-1"}"""));
    JsonNode run = json(keel.get("/api/public/datasets/runs/runs/exp%201", "authorization",
        basicPair()));
    JsonNode runs = json(keel.get("/api/public/datasets/runs/runs", "authorization",
        basicPair()));
    JsonNode items = json(keel.get("/api/public/dataset-run-items?datasetId="
        + ds.path("id").asText() + "&runName=exp%201", "authorization", basicPair()));

    assertThat(link.path("datasetRunName").asText()).isEqualTo("exp 1");
    assertThat(link.path("traceId").asText()).isEqualTo("trace-1");
    assertThat(run.path("description").asText()).isEqualTo("baseline");
    assertThat(run.path("datasetRunItems").get(0).path("datasetItemId").asText())
        .isEqualTo("r-1");
    assertThat(runs.path("data").get(0).path("name").asText()).isEqualTo("exp 1");
    assertThat(items.path("data").get(0).path("id").asText())
        .isEqualTo(link.path("id").asText());
    assertThat(keel.send(keel.request("/api/public/datasets/runs/runs/exp%201",
        "authorization", basicPair()).DELETE()).statusCode()).isEqualTo(200);
    assertThat(keel.get("/api/public/datasets/runs/runs/exp%201", "authorization",
        basicPair()).statusCode()).isEqualTo(404);
  }

  @Test
  void batchItems_oneVersion_replaceRemoves_andRepeatIsNoOp() {
    String body = """
        {"replace": true, "items": [{"id": "b-1", "input": "a"}, {"id": "b-2", "input": "b"}]}""";

    JsonNode first = json(keel.post("/api/keel/datasets/batch/items", body, "authorization",
        bearerMaster()));
    JsonNode repeat = json(keel.post("/api/keel/datasets/batch/items", body, "authorization",
        bearerMaster()));
    JsonNode replaced = json(keel.post("/api/keel/datasets/batch/items",
        "{\"replace\": true, \"items\": [{\"id\": \"b-2\", \"input\": \"b\"}]}",
        "authorization", bearerMaster()));

    assertThat(first.path("version").asInt()).isEqualTo(1);
    assertThat(first.path("added").asInt()).isEqualTo(2);
    assertThat(repeat.path("changed").asBoolean()).isFalse();
    assertThat(repeat.path("version").asInt()).isEqualTo(1);
    assertThat(replaced.path("version").asInt()).isEqualTo(2);
    assertThat(replaced.path("removed").asInt()).isEqualTo(1);
  }

  @Test
  void itemsFromTraces_useTraceInputAndOutput() {
    HttpResponse<String> chat = keel.chat("{\"model\": \"gpt-4o-mini\", \"messages\":"
        + " [{\"role\": \"user\", \"content\": \"Hello there\"}]}");
    String traceId = chat.headers().firstValue("x-keel-trace-id").orElseThrow();
    keel.trace(traceId);

    JsonNode change = json(keel.post("/api/keel/datasets/prod/items-from-traces",
        "{\"traceIds\": [\"" + traceId + "\"]}", "authorization", bearerMaster()));
    JsonNode again = json(keel.post("/api/keel/datasets/prod/items-from-traces",
        "{\"traceIds\": [\"" + traceId + "\"]}", "authorization", bearerMaster()));
    JsonNode items = json(keel.get("/api/public/dataset-items?sourceTraceId=" + traceId,
        "authorization", basicPair()));

    assertThat(change.path("added").asInt()).isEqualTo(1);
    assertThat(again.path("changed").asBoolean()).isFalse();
    JsonNode item = items.path("data").get(0);
    assertThat(item.path("input").toString()).contains("Hello there");
    assertThat(item.path("expectedOutput").isNull()).isFalse();
    assertThat(item.path("datasetName").asText()).isEqualTo("prod");
  }

  @Test
  void namesWithSlashes_workOnEveryRoute() {
    post("/api/public/v2/datasets", "{\"name\": \"team/qa+1\"}");
    keel.post("/api/keel/datasets/team%2Fqa%2B1/items", "{\"items\": [{\"id\": \"s-1\","
        + " \"input\": \"a\"}]}", "authorization", bearerMaster());
    post("/api/public/dataset-run-items", "{\"runName\": \"r/1\", \"datasetItemId\":"
        + " \"s-1\", \"traceId\": \"t\"}");

    JsonNode v2 = json(keel.get("/api/public/v2/datasets/team%2Fqa%2B1", "authorization",
        basicPair()));
    JsonNode v1 = json(keel.get("/api/public/datasets/team%2Fqa%2B1", "authorization",
        basicPair()));
    JsonNode run = json(keel.get("/api/public/datasets/team%2Fqa%2B1/runs/r%2F1",
        "authorization", basicPair()));

    assertThat(v2.path("name").asText()).isEqualTo("team/qa+1");
    assertThat(v2.path("version").asInt()).isEqualTo(1);
    assertThat(v1.path("items").get(0).path("id").asText()).isEqualTo("s-1");
    assertThat(run.path("name").asText()).isEqualTo("r/1");
    assertThat(keel.get("/api/public/datasets/team%2Fqa%2B1/nope", "authorization",
        basicPair()).statusCode()).isEqualTo(404);
  }

  @Test
  void itemUpsert_keepsFieldsItDoesNotName() {
    post("/api/public/datasets", "{\"name\": \"merge\"}");
    post("/api/public/dataset-items", "{\"datasetName\": \"merge\", \"id\": \"m-1\","
        + " \"input\": \"q\", \"expectedOutput\": \"a\", \"contexts\": [\"c\"]}");

    JsonNode archived = json(post("/api/public/dataset-items", "{\"datasetName\": \"merge\","
        + " \"id\": \"m-1\", \"status\": \"ARCHIVED\"}"));

    assertThat(archived.path("status").asText()).isEqualTo("ARCHIVED");
    assertThat(archived.path("input").asText()).isEqualTo("q");
    assertThat(archived.path("expectedOutput").asText()).isEqualTo("a");
    assertThat(archived.path("contexts").get(0).asText()).isEqualTo("c");
    assertThat(archived.path("version").asInt()).isEqualTo(2);
  }

  @Test
  void badInput_getsLangfuseShaped4xx() {
    assertError(post("/api/public/datasets", "{\"description\": \"no name\"}"), 400,
        "name is required");
    assertError(post("/api/public/datasets", "[1]"), 400, "must be a JSON object");
    assertError(post("/api/public/datasets", "{\"name\": \"" + "n".repeat(256) + "\"}"), 400,
        "name must be 1 to 255 characters, got 256");
    assertError(post("/api/public/dataset-items", "{\"datasetName\": \"nope\", \"input\": 1}"),
        404, "dataset not found: nope");
    assertError(post("/api/public/dataset-items", "{\"input\": 1}"), 400,
        "datasetName is required");
    assertError(keel.get("/api/public/dataset-items?version=1", "authorization", basicPair()),
        400, "version needs datasetName");
    post("/api/public/datasets", "{\"name\": \"bad\"}");
    assertThat(json(keel.get("/api/public/dataset-items?datasetName=bad&version=0",
        "authorization", basicPair())).path("data")).isEmpty();
    assertError(keel.get("/api/public/dataset-items?datasetName=bad&version=7",
        "authorization", basicPair()), 404, "has no version 7");
    assertError(keel.get("/api/public/dataset-items?datasetName=bad&version=yesterday",
        "authorization", basicPair()), 400, "ISO-8601");
    assertError(post("/api/public/dataset-run-items", "{\"runName\": \"r\","
        + " \"datasetItemId\": \"missing\", \"traceId\": \"t\"}"), 404,
        "dataset item not found: missing");
    assertError(post("/api/public/dataset-items", "{\"datasetName\": \"bad\", \"input\": 1,"
        + " \"status\": \"GONE\"}"), 400, "status must be ACTIVE or ARCHIVED");
    assertError(keel.post("/api/keel/datasets/bad/items", "{\"items\": [{\"input\": 1,"
        + " \"contexts\": \"x\"}]}", "authorization", bearerMaster()), 400,
        "items[0]: contexts must be a list of strings");
    assertError(keel.post("/api/keel/datasets/bad/items-from-traces",
        "{\"traceIds\": [\"no-such-trace\"]}", "authorization", bearerMaster()), 404,
        "trace not found: no-such-trace");
    assertThat(keel.get("/api/public/v2/datasets").statusCode()).isEqualTo(401);
    assertThat(keel.post("/api/keel/datasets/bad/items", "{\"items\": []}", "authorization",
        basicPair()).statusCode()).isEqualTo(403);
  }

  private HttpResponse<String> post(String path, String body) {
    return keel.post(path, body, "authorization", basicPair(), "content-type",
        "application/json");
  }

  private static void assertError(HttpResponse<String> res, int status, String fragment) {
    assertThat(res.statusCode()).as(res.body()).isEqualTo(status);
    assertThat(res.body()).contains(fragment);
    assertThat(json(res).has("message")).isTrue();
  }
}
