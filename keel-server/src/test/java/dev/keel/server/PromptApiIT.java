package dev.keel.server;

import static dev.keel.server.KeelFixture.basicPair;
import static dev.keel.server.KeelFixture.bearerMaster;
import static dev.keel.server.KeelFixture.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** The Langfuse v2 prompts API and Keel's prompt additions on a real Keel over SQLite. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PromptApiIT {

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
  void create_thenGet_byDefaultLabelLabelAndVersion() {
    HttpResponse<String> created = create("""
        {"name": "api/greet", "prompt": "Hi {{name}}", "config": {"model": "gpt-4o",
         "temperature": 0.2}, "labels": ["production"], "tags": ["web"],
         "commitMessage": "first"}""");
    create("{\"name\": \"api/greet\", \"prompt\": \"Hello {{name}}\"}");

    JsonNode prod = json(keel.get("/api/public/v2/prompts/api%2Fgreet", auth()));
    JsonNode latest = json(keel.get("/api/public/v2/prompts/api%2Fgreet?label=latest",
        auth()));
    JsonNode v1 = json(keel.get("/api/public/v2/prompts/api/greet?version=1", auth()));

    assertThat(created.statusCode()).isEqualTo(201);
    JsonNode c = json(created);
    assertThat(c.path("version").asInt()).isEqualTo(1);
    assertThat(c.path("type").asText()).isEqualTo("text");
    assertThat(c.path("labels")).extracting(JsonNode::asText)
        .containsExactly("latest", "production");
    assertThat(c.path("isActive").asBoolean()).isTrue();
    assertThat(c.path("createdBy").asText()).isEqualTo("API");
    assertThat(c.path("contentHash").asText()).startsWith("sha256:");
    assertThat(prod.path("version").asInt()).isEqualTo(1);
    assertThat(prod.path("prompt").asText()).isEqualTo("Hi {{name}}");
    assertThat(prod.path("config").path("temperature").asDouble()).isEqualTo(0.2);
    assertThat(prod.path("tags")).extracting(JsonNode::asText).containsExactly("web");
    assertThat(prod.path("commitMessage").asText()).isEqualTo("first");
    assertThat(latest.path("version").asInt()).isEqualTo(2);
    assertThat(latest.path("prompt").asText()).isEqualTo("Hello {{name}}");
    assertThat(latest.path("tags")).extracting(JsonNode::asText).containsExactly("web");
    assertThat(v1.path("labels")).extracting(JsonNode::asText).containsExactly("production");
  }

  @Test
  void chat_createAndGet_returnsLangfuseChatMessages() {
    create("""
        {"name": "api-chat", "type": "chat", "labels": ["production"], "prompt": [
          {"role": "system", "content": "Be {{tone}}"},
          {"type": "chatmessage", "role": "user", "content": "{{q}}"}]}""");

    JsonNode got = json(keel.get("/api/public/v2/prompts/api-chat", auth()));

    assertThat(got.path("type").asText()).isEqualTo("chat");
    assertThat(got.path("prompt").toString()).isEqualTo("[{\"type\":\"chatmessage\","
        + "\"role\":\"system\",\"content\":\"Be {{tone}}\"},{\"type\":\"chatmessage\","
        + "\"role\":\"user\",\"content\":\"{{q}}\"}]");
    assertThat(got.path("config").toString()).isEqualTo("{}");
  }

  @Test
  void patch_movesLabelsBetweenVersions() {
    create("{\"name\": \"api-move\", \"prompt\": \"one\", \"labels\": [\"production\"]}");
    create("{\"name\": \"api-move\", \"prompt\": \"two\"}");

    HttpResponse<String> moved = patch("/api/public/v2/prompts/api-move/versions/2",
        "{\"newLabels\": [\"production\", \"staging\"]}");

    assertThat(moved.statusCode()).isEqualTo(200);
    assertThat(json(moved).path("labels")).extracting(JsonNode::asText)
        .containsExactly("latest", "production", "staging");
    assertThat(json(keel.get("/api/public/v2/prompts/api-move?version=1", auth()))
        .path("labels")).isEmpty();
    assertThat(json(keel.get("/api/public/v2/prompts/api-move", auth())).path("prompt")
        .asText()).isEqualTo("two");
  }

  @Test
  void list_filtersAndPages() {
    create("{\"name\": \"list/a\", \"prompt\": \"a\", \"tags\": [\"list-tag\"]}");
    create("{\"name\": \"list/b\", \"prompt\": \"b\", \"labels\": [\"list-label\"],"
        + " \"config\": {\"model\": \"m\"}}");

    JsonNode byTag = json(keel.get("/api/public/v2/prompts?tag=list-tag", auth()));
    JsonNode byLabel = json(keel.get("/api/public/v2/prompts?label=list-label", auth()));
    JsonNode byName = json(keel.get("/api/public/v2/prompts?name=list%2Fb&limit=1",
        "authorization", basicPair()));

    assertThat(byTag.path("data")).extracting(n -> n.path("name").asText())
        .containsExactly("list/a");
    assertThat(byLabel.path("data")).extracting(n -> n.path("name").asText())
        .containsExactly("list/b");
    JsonNode b = byName.path("data").get(0);
    assertThat(b.path("versions")).extracting(JsonNode::asInt).containsExactly(1);
    assertThat(b.path("lastConfig").path("model").asText()).isEqualTo("m");
    assertThat(b.path("lastUpdatedAt").asText()).endsWith("Z");
    assertThat(byName.path("meta").toString())
        .isEqualTo("{\"page\":1,\"limit\":1,\"totalItems\":1,\"totalPages\":1}");
  }

  @Test
  void keel_diffPromoteRollbackAndVersions() {
    create("{\"name\": \"ops\", \"prompt\": \"Hello\", \"config\": {\"model\": \"a\"}}");
    create("{\"name\": \"ops\", \"prompt\": \"Hi\", \"config\": {\"model\": \"a\"}}");

    JsonNode diff = json(keel.get("/api/keel/prompts/ops/diff?from=1&to=2", master()));
    JsonNode promoted1 = json(post("/api/keel/prompts/ops/promote", "{\"version\": 1}"));
    JsonNode promoted2 = json(post("/api/keel/prompts/ops/promote",
        "{\"version\": 2, \"label\": \"production\"}"));
    JsonNode rolledBack = json(post("/api/keel/prompts/ops/rollback", "{}"));
    JsonNode versions = json(keel.get("/api/keel/prompts/ops/versions", master()));

    assertThat(diff.path("changed").asBoolean()).isTrue();
    assertThat(diff.path("diff").asText()).contains("-Hello\n+Hi\n");
    assertThat(promoted1.path("labels")).extracting(JsonNode::asText)
        .containsExactly("production");
    assertThat(promoted2.path("version").asInt()).isEqualTo(2);
    assertThat(rolledBack.path("version").asInt()).isEqualTo(1);
    assertThat(rolledBack.path("labels")).extracting(JsonNode::asText)
        .containsExactly("production");
    assertThat(versions.path("data")).extracting(n -> n.path("version").asInt())
        .containsExactly(1, 2);
  }

  @Test
  void badInput_getsClear4xxInLangfuseShape() {
    create("{\"name\": \"bad\", \"prompt\": \"x\"}");

    assertError(create("{\"name\": \"bad\", \"prompt\": \"Hi {{name\"}"), 400,
        "unclosed '{{' at line 1, column 4 of prompt 'bad'");
    assertError(create("{\"name\": \"../etc\", \"prompt\": \"x\"}"), 400,
        "prompt name must not start or end with /, hold //, or a . or .. folder: '../etc'");
    assertError(create("{\"name\": \"a b\", \"prompt\": \"x\"}"), 400,
        "prompt name may hold only letters, digits and - _ . /: 'a b'");
    assertError(create("{\"name\": \"bad\", \"prompt\": \"x\", \"config\": \"{oops\"}"), 400,
        "config must be a JSON object, got string");
    assertError(create("{\"name\": \"bad\", \"prompt\": \"x\", \"config\": {"), 400,
        "request body is not valid JSON");
    assertError(create("{\"name\": \"bad\", \"type\": \"chat\", \"prompt\": [{\"role\":"
        + " \"user\", \"content\": \"x\"}]}"), 400, "prompt 'bad' is a text prompt");
    assertError(patch("/api/public/v2/prompts/bad/versions/9", "{\"newLabels\": [\"p\"]}"),
        404, "Prompt not found: 'bad' with version 9");
    assertError(patch("/api/public/v2/prompts/bad/versions/1",
        "{\"newLabels\": [\"latest\"]}"), 400, "latest label is set on each new version");
    assertError(patch("/api/public/v2/prompts/bad/versions/x", "{\"newLabels\": []}"), 400,
        "version must be a positive integer: x");
    assertError(keel.get("/api/public/v2/prompts/bad?label=latest&version=1", auth()), 400,
        "give either label or version, not both");
    assertError(keel.get("/api/public/v2/prompts/nobody", auth()), 404,
        "Prompt not found: 'nobody' with label 'production'");
    assertError(keel.get("/api/public/v2/prompts/bad?label=NOPE", auth()), 400,
        "label must be 1 to 36");
    assertError(keel.get("/api/public/v2/prompts?limit=101", auth()), 400,
        "limit must be at most 100: 101");
  }

  @Test
  void auth_keelRoutesNeedMasterKey_publicRoutesNeedAKey() {
    assertError(keel.get("/api/public/v2/prompts"), 401, "missing credentials");
    assertError(keel.get("/api/keel/prompts/x/versions", "authorization", basicPair()), 403,
        "/api/keel needs the master key");
  }

  @Test
  void create_concurrentSaves_getConsecutiveVersions() throws Exception {
    int n = 24;
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      var jobs = new ArrayList<Callable<Integer>>();
      IntStream.range(0, n).forEach(i -> jobs.add(() -> json(create(
          "{\"name\": \"race\", \"prompt\": \"body " + i + "\"}")).path("version").asInt()));
      var versions = new ArrayList<Integer>();
      for (Future<Integer> f : pool.invokeAll(jobs)) {
        versions.add(f.get());
      }

      assertThat(versions).containsExactlyInAnyOrderElementsOf(
          IntStream.rangeClosed(1, n).boxed().toList());
      assertThat(json(keel.get("/api/public/v2/prompts?name=race", auth())).path("data")
          .get(0).path("versions")).hasSize(n);
    } finally {
      pool.shutdownNow();
    }
  }

  private HttpResponse<String> create(String body) {
    return keel.post("/api/public/v2/prompts", body, "authorization", basicPair(),
        "content-type", "application/json");
  }

  private HttpResponse<String> post(String path, String body) {
    return keel.post(path, body, "authorization", bearerMaster(), "content-type",
        "application/json");
  }

  private HttpResponse<String> patch(String path, String body) {
    return keel.send(keel.request(path, "authorization", basicPair(), "content-type",
        "application/json").method("PATCH", HttpRequest.BodyPublishers.ofString(body)));
  }

  private static String[] auth() {
    return new String[] {"authorization", basicPair()};
  }

  private static String[] master() {
    return new String[] {"authorization", bearerMaster()};
  }

  private static void assertError(HttpResponse<String> r, int status, String message) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    assertThat(json(r).path("message").asText()).contains(message);
  }
}
