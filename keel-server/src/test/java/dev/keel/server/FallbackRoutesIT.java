package dev.keel.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Wrong methods and unknown paths against a real Keel: 405 or 404 in each API's shape. */
class FallbackRoutesIT {

  @TempDir
  static Path dir;
  private static KeelFixture keel;

  @BeforeAll
  static void start() {
    keel = KeelFixture.start(dir);
  }

  @AfterAll
  static void stop() {
    keel.close();
  }

  @Test
  void getChatCompletions_405AllowPostInOpenAiShape() {
    HttpResponse<String> r = send("GET", "/v1/chat/completions");

    assertStatusAndAllow(r, 405, "POST");
    JsonNode err = KeelFixture.json(r).path("error");
    assertThat(err.path("type").asText()).isEqualTo("invalid_request_error");
    assertThat(err.path("code").asText()).isEqualTo("method_not_allowed");
    assertThat(err.path("message").asText())
        .isEqualTo("GET is not allowed on /v1/chat/completions; it accepts POST");
  }

  @Test
  void deleteMessages_405AllowPostInAnthropicShape() {
    HttpResponse<String> r = send("DELETE", "/v1/messages");

    assertStatusAndAllow(r, 405, "POST");
    JsonNode root = KeelFixture.json(r);
    assertThat(root.path("type").asText()).isEqualTo("error");
    assertThat(root.path("error").path("type").asText()).isEqualTo("invalid_request_error");
    assertThat(root.path("error").path("message").asText())
        .isEqualTo("DELETE is not allowed on /v1/messages; it accepts POST");
  }

  @Test
  void postTraces_405AllowGetDeleteInLangfuseShape() {
    HttpResponse<String> r = send("POST", "/api/public/traces");

    assertStatusAndAllow(r, 405, "GET, DELETE");
    assertThat(KeelFixture.json(r).path("message").asText())
        .isEqualTo("POST is not allowed on /api/public/traces; it accepts GET, DELETE");
  }

  @Test
  void putPromptByName_405AllowGetPatch() {
    HttpResponse<String> r = send("PUT", "/api/public/v2/prompts/greeting");

    assertStatusAndAllow(r, 405, "GET, PATCH");
  }

  @Test
  void getRoot_404Json() {
    HttpResponse<String> r = send("GET", "/");

    assertThat(r.statusCode()).isEqualTo(404);
    assertJson(r);
    assertThat(KeelFixture.json(r).path("message").asText())
        .startsWith("no such endpoint: GET /;");
    assertThat(r.headers().firstValue("allow")).isEmpty();
  }

  @Test
  void unknownV1Path_404InOpenAiShapeListingTheGatewayRoutes() {
    HttpResponse<String> r = send("POST", "/v1/chat/complete");

    assertThat(r.statusCode()).isEqualTo(404);
    assertJson(r);
    JsonNode err = KeelFixture.json(r).path("error");
    assertThat(err.path("type").asText()).isEqualTo("not_found_error");
    assertThat(err.path("code").asText()).isEqualTo("not_found");
    assertThat(err.path("message").asText()).contains("POST /v1/chat/complete",
        "POST /v1/chat/completions");
  }

  @Test
  void unknownMessagesSubPath_404InAnthropicShape() {
    HttpResponse<String> r = send("POST", "/v1/messages/count_tokens");

    assertThat(r.statusCode()).isEqualTo(404);
    JsonNode root = KeelFixture.json(r);
    assertThat(root.path("type").asText()).isEqualTo("error");
    assertThat(root.path("error").path("type").asText()).isEqualTo("not_found_error");
  }

  @Test
  void unknownApiPath_404InLangfuseShape() {
    HttpResponse<String> r = send("GET", "/api/public/nothing-here");

    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(KeelFixture.json(r).path("message").asText())
        .isEqualTo("no such endpoint: GET /api/public/nothing-here");
  }

  @Test
  void everyListedMethod_isServedByARealRoute() {
    for (FallbackRoutes.Served s : FallbackRoutes.SERVED) {
      String path = s.template().replace("{id}", "x").replace("**", "x");
      for (String method : s.methods()) {
        HttpResponse<String> r = send(method, path);

        assertThat(r.statusCode()).as("%s %s: %s", method, path, r.body()).isNotEqualTo(405);
        assertThat(r.body()).as("%s %s", method, path).doesNotContain("no such endpoint");
      }
    }
  }

  @Test
  void servedRoutes_stillAnswer() {
    assertThat(keel.get("/api/public/health").statusCode()).isEqualTo(200);
    assertThat(keel.get("/v1/models", "authorization", KeelFixture.bearerMaster())
        .statusCode()).isEqualTo(200);
  }

  private static HttpResponse<String> send(String method, String path) {
    return keel.send(keel.request(path).method(method, HttpRequest.BodyPublishers.noBody()));
  }

  private static void assertStatusAndAllow(HttpResponse<String> r, int status, String allow) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    assertThat(r.headers().firstValue("allow")).contains(allow);
    assertJson(r);
  }

  private static void assertJson(HttpResponse<String> r) {
    assertThat(r.headers().firstValue("content-type")).hasValueSatisfying(
        ct -> assertThat(ct).startsWith("application/json"));
  }
}
