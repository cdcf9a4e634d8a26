package dev.keel.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keel.core.trace.Observation;
import dev.keel.core.trace.Trace;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A gateway call naming an existing trace in x-keel-trace-id joins it: it adds its generation
 * and fills only trace fields still empty; the application that created the trace owns them.
 */
class GatewayTraceJoinIT {

  private static final String ADMIN_URL = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";

  @TempDir
  Path dir;

  @Test
  void virtualKeyCall_onAnExistingTrace_cannotOverwriteItsFields() {
    try (var keel = KeelFixture.start(dir)) {
      HttpResponse<String> ingested = keel.post("/api/public/ingestion", """
          {"batch": [{"id": "e1", "type": "trace-create", "timestamp": "2026-12-04T10:00:00Z",
            "body": {"id": "victim-2", "name": "important-run", "userId": "alice",
                     "input": "the question", "output": "the answer"}}]}""",
          "authorization", KeelFixture.basicPair(), "content-type", "application/json");
      assertThat(ingested.statusCode()).as(ingested.body()).isEqualTo(207);
      HttpResponse<String> made = keel.post("/api/keel/keys", "{\"name\":\"mallory\"}",
          "authorization", KeelFixture.bearerMaster(), "content-type", "application/json");
      assertThat(made.statusCode()).as(made.body()).isEqualTo(201);
      String key = KeelFixture.json(made).path("key").asText();

      HttpResponse<String> r = keel.post("/v1/chat/completions", "{\"model\":\"gpt-4o-mini\","
          + "\"messages\":[{\"role\":\"user\",\"content\":\"overwrite\"}]}",
          "authorization", "Bearer " + key, "content-type", "application/json",
          "x-keel-trace-id", "victim-2", "x-keel-user-id", "mallory");

      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      Trace t = keel.trace("victim-2").trace();
      assertThat(t.name()).isEqualTo("important-run");
      assertThat(t.userId()).isEqualTo("alice");
      assertThat(t.input()).isEqualTo("\"the question\"");
      assertThat(t.output()).isEqualTo("\"the answer\"");
      List<Observation> observations = keel.observations("victim-2");
      assertThat(observations).extracting(o -> o.type().name()).containsExactly("GENERATION");
      assertThat(observations.get(0).input()).contains("overwrite");
    }
  }

  @Test
  void severalCallsUnderOneTraceId_keepTheFirstCallsInputAndOutput() {
    try (var keel = KeelFixture.start(dir)) {
      String traceId = UUID.randomUUID().toString();
      HttpResponse<String> first = keel.chat("{\"model\":\"gpt-4o-mini\",\"messages\":"
          + "[{\"role\":\"user\",\"content\":\"first turn\"}]}", "x-keel-trace-id", traceId,
          "x-keel-user-id", "bob");
      keel.trace(traceId);
      HttpResponse<String> second = keel.chat("{\"model\":\"gpt-4o-mini\",\"messages\":"
          + "[{\"role\":\"user\",\"content\":\"second turn\"}]}", "x-keel-trace-id", traceId,
          "x-keel-user-id", "eve");

      assertThat(first.statusCode()).isEqualTo(200);
      assertThat(second.statusCode()).isEqualTo(200);
      Trace t = keel.trace(traceId).trace();
      assertThat(t.userId()).isEqualTo("bob");
      assertThat(t.input()).contains("first turn").doesNotContain("second turn");
      assertThat(t.output()).isNotNull();
      assertThat(keel.observations(traceId)).hasSize(2)
          .allMatch(o -> o.type().name().equals("GENERATION"));
    }
  }

  @Test
  void nulInUser_onPostgres_isStoredAndDoesNotSinkTheCall() throws Exception {
    String schema = "keel_join_it_" + UUID.randomUUID().toString().replace("-", "");
    exec("CREATE SCHEMA " + schema);
    try (KeelServer s = KeelServer.start(new ServerSettings("127.0.0.1", 0, dir,
        "postgres://postgres@127.0.0.1:5432/test?currentSchema=" + schema, null,
        Map.of("KEEL_MASTER_KEY", KeelFixture.MASTER_KEY)))) {
      var http = java.net.http.HttpClient.newHttpClient();
      String traceId = UUID.randomUUID().toString();
      HttpResponse<String> r = http.send(java.net.http.HttpRequest.newBuilder(
          java.net.URI.create("http://127.0.0.1:" + s.port() + "/v1/chat/completions"))
          .header("authorization", KeelFixture.bearerMaster())
          .header("content-type", "application/json").header("x-keel-trace-id", traceId)
          .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"model\":\"gpt-4o-mini\","
              + "\"user\":\"x\\u0000y\",\"messages\":[{\"role\":\"user\",\"content\":"
              + "\"a\\u0000b\"}]}")).build(), HttpResponse.BodyHandlers.ofString());
      s.flushTraces();

      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      var stored = s.store().traces().findTrace(KeelFixture.PROJECT, traceId).orElseThrow();
      assertThat(stored.trace().userId()).isEqualTo("x\uFFFDy");
      assertThat(s.store().traces().observationsOf(KeelFixture.PROJECT, traceId)).hasSize(1);
    } finally {
      exec("DROP SCHEMA " + schema + " CASCADE");
    }
  }

  private static void exec(String sql) throws Exception {
    try (Connection c = DriverManager.getConnection(ADMIN_URL)) {
      c.createStatement().execute(sql);
    }
  }
}
