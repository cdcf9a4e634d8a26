package dev.keel.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keel.core.trace.Trace;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Gateway and read-API edges found by the second break test: non-ASCII x-keel-* headers, trace
 * ids as ingestion accepts them, ids with a slash, 405s on the newer paths, observation filters,
 * reversed time ranges, a key's model scope on /v1/models and why a key is refused.
 */
class GatewayEdgesIT {

  @TempDir
  static Path dir;
  private static KeelFixture keel;

  @BeforeAll
  static void start() {
    keel = KeelFixture.start(dir, "routing:\n  retries: {max: 0}\n");
  }

  @AfterAll
  static void stop() {
    keel.close();
  }

  private static String body(String model) {
    return "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
  }

  private static String[] master() {
    return new String[] {"authorization", KeelFixture.bearerMaster(), "content-type",
        "application/json"};
  }

  // --- 1: non-ASCII header values

  @Test
  void rawUtf8Header_400NamingTheHeader() throws Exception {
    byte[] json = body("gpt-4o-mini").getBytes(StandardCharsets.UTF_8);
    String head = "POST /v1/chat/completions HTTP/1.1\r\nhost: 127.0.0.1\r\n"
        + "authorization: " + KeelFixture.bearerMaster() + "\r\n"
        + "content-type: application/json\r\nconnection: close\r\n"
        + "content-length: " + json.length + "\r\nx-keel-user-id: ";
    ByteArrayOutputStream req = new ByteArrayOutputStream();
    req.write(head.getBytes(StandardCharsets.US_ASCII));
    req.write("jörg 日本".getBytes(StandardCharsets.UTF_8));
    req.write("\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    req.write(json);

    String answer = raw(req.toByteArray());

    assertThat(answer).startsWith("HTTP/1.1 400");
    assertThat(answer).contains("x-keel-user-id").contains("percent-encoded");
  }

  @Test
  void percentEncodedHeaders_storedDecoded() {
    String traceId = UUID.randomUUID().toString();

    HttpResponse<String> r = keel.chat(body("gpt-4o-mini"), "x-keel-trace-id", traceId,
        "x-keel-user-id", "j%C3%B6rg%20%E6%97%A5%E6%9C%AC", "x-keel-trace-name", "r%C3%A9sum%C3%A9",
        "x-keel-tags", "caf%C3%A9, a%2Cb, 100%", "x-keel-session-id", "s%C3%A9");

    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    Trace t = keel.trace(traceId).trace();
    assertThat(t.userId()).isEqualTo("jörg 日本");
    assertThat(t.name()).isEqualTo("résumé");
    assertThat(t.sessionId()).isEqualTo("sé");
    assertThat(t.tags()).containsExactlyInAnyOrder("café", "a,b", "100%");
  }

  @Test
  void percentDecoded_keepsWhatIsNotAnEscapeOrNotUtf8() {
    assertThat(GatewayRoutes.percentDecoded("100%")).isEqualTo("100%");
    assertThat(GatewayRoutes.percentDecoded("50%off")).isEqualTo("50%off");
    assertThat(GatewayRoutes.percentDecoded("%FF%FE")).isEqualTo("%FF%FE");
    assertThat(GatewayRoutes.percentDecoded("a%2Fb")).isEqualTo("a/b");
  }

  // --- 5: trace ids as ingestion accepts them

  @Test
  void traceIdWithSlashes_joinsTheTrace() {
    String traceId = "run/" + UUID.randomUUID() + "/step 1";

    HttpResponse<String> r = keel.chat(body("gpt-4o-mini"), "x-keel-trace-id", traceId);

    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(r.headers().firstValue("x-keel-trace-id")).hasValue(traceId);
    assertThat(keel.trace(traceId).trace().id()).isEqualTo(traceId);
  }

  @Test
  void traceIdOver800Characters_400EchoingItShortened() {
    String traceId = "x".repeat(801);

    HttpResponse<String> r = keel.chat(body("gpt-4o-mini"), "x-keel-trace-id", traceId);

    assertThat(r.statusCode()).isEqualTo(400);
    String message = KeelFixture.json(r).path("error").path("message").asText();
    assertThat(message).contains("x-keel-trace-id must be 1 to 800 characters, got 801")
        .contains("x".repeat(60) + "...");
  }

  // --- 6: ids with a slash, read by id

  @Test
  void scoreWithSlashInId_readAndDeletedById() {
    HttpResponse<String> created = keel.post("/api/public/scores", "{\"id\":\"a/b\","
        + "\"traceId\":\"t-score\",\"name\":\"q\",\"value\":1}", "authorization",
        KeelFixture.basicPair(), "content-type", "application/json");
    assertThat(created.statusCode()).as(created.body()).isBetween(200, 299);

    HttpResponse<String> v1 = keel.get("/api/public/scores/a%2Fb", "authorization",
        KeelFixture.basicPair());
    HttpResponse<String> v2 = keel.get("/api/public/v2/scores/a%2Fb", "authorization",
        KeelFixture.basicPair());
    HttpResponse<String> deleted = keel.send(keel.request("/api/public/scores/a%2Fb",
        "authorization", KeelFixture.basicPair()).DELETE());

    assertThat(v1.statusCode()).as(v1.body()).isEqualTo(200);
    assertThat(KeelFixture.json(v2).path("id").asText()).isEqualTo("a/b");
    assertThat(deleted.statusCode()).as(deleted.body()).isBetween(200, 299);
  }

  @Test
  void observationWithSlashInId_readById() {
    String traceId = UUID.randomUUID().toString();
    HttpResponse<String> ingested = keel.post("/api/public/ingestion", "{\"batch\":[{\"id\":\""
        + UUID.randomUUID() + "\",\"type\":\"span-create\",\"timestamp\":\"" + Instant.now()
        + "\",\"body\":{\"id\":\"g/1\",\"traceId\":\"" + traceId + "\",\"name\":\"s\","
        + "\"startTime\":\"" + Instant.now() + "\"}}]}", "authorization",
        KeelFixture.basicPair(), "content-type", "application/json");
    assertThat(ingested.statusCode()).as(ingested.body()).isEqualTo(207);
    keel.observations(traceId);

    HttpResponse<String> r = keel.get("/api/public/observations/g%2F1", "authorization",
        KeelFixture.basicPair());
    HttpResponse<String> missing = keel.get("/api/public/observations/nope", "authorization",
        KeelFixture.basicPair());

    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(KeelFixture.json(r).path("id").asText()).isEqualTo("g/1");
    assertThat(KeelFixture.json(r).path("traceId").asText()).isEqualTo(traceId);
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(missing.body()).contains("observation not found: nope");
  }

  @Test
  void datasetItemWithSlashInId_readAndDeletedById() {
    String[] auth = {"authorization", KeelFixture.basicPair(), "content-type",
        "application/json"};
    HttpResponse<String> ds = keel.post("/api/public/v2/datasets", "{\"name\":\"slashy\"}",
        auth);
    assertThat(ds.statusCode()).as(ds.body()).isBetween(200, 299);
    HttpResponse<String> item = keel.post("/api/public/dataset-items",
        "{\"datasetName\":\"slashy\",\"id\":\"it/1\",\"input\":\"x\"}", auth);
    assertThat(item.statusCode()).as(item.body()).isBetween(200, 299);

    HttpResponse<String> read = keel.get("/api/public/dataset-items/it%2F1", "authorization",
        KeelFixture.basicPair());
    HttpResponse<String> deleted = keel.send(keel.request("/api/public/dataset-items/it%2F1",
        "authorization", KeelFixture.basicPair()).DELETE());

    assertThat(read.statusCode()).as(read.body()).isEqualTo(200);
    assertThat(KeelFixture.json(read).path("id").asText()).isEqualTo("it/1");
    assertThat(deleted.statusCode()).as(deleted.body()).isBetween(200, 299);
  }

  // --- 7: 405 with allow on the newer paths

  @Test
  void wrongMethodOnNewerPaths_405WithAllow() {
    String[][] cases = {
        {"PATCH", "/api/keel/online-eval/rules", "GET, POST"},
        {"PATCH", "/api/keel/online-eval/rules/samp", "GET, PUT, DELETE"},
        {"DELETE", "/api/keel/online-eval/results", "GET"},
        {"DELETE", "/api/keel/reports/routing", "GET"}};
    for (String[] c : cases) {
      HttpResponse<String> r = keel.send(keel.request(c[1], "authorization",
          KeelFixture.bearerMaster()).method(c[0],
          java.net.http.HttpRequest.BodyPublishers.noBody()));

      assertThat(r.statusCode()).as(c[0] + " " + c[1]).isEqualTo(405);
      assertThat(r.headers().firstValue("allow")).as(c[1]).hasValue(c[2]);
    }
  }

  // --- 13: observation filters

  @Test
  void observations_filteredByModelAndLevel() {
    String ok = UUID.randomUUID().toString();
    String failed = UUID.randomUUID().toString();
    keel.chat(body("gpt-4o-mini"), "x-keel-trace-id", ok);
    keel.chat("{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":"
        + "\"hi [[sim fault=500]]\"}]}", "x-keel-trace-id", failed);
    keel.trace(ok);
    keel.trace(failed);

    assertThat(observations("traceId=" + ok + "&model=gpt-4o-mini")).hasSize(1);
    assertThat(observations("traceId=" + ok + "&model=gpt-4o")).isEmpty();
    assertThat(observations("traceId=" + ok + "&level=ERROR")).isEmpty();
    assertThat(observations("traceId=" + failed + "&level=ERROR")).hasSize(1);
    HttpResponse<String> loud = keel.get("/api/public/observations?level=LOUD",
        "authorization", KeelFixture.basicPair());
    assertThat(loud.statusCode()).isEqualTo(400);
    assertThat(loud.body()).contains("level").contains("LOUD");
  }

  private static List<JsonNode> observations(String query) {
    HttpResponse<String> r = keel.get("/api/public/observations?" + query, "authorization",
        KeelFixture.basicPair());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    List<JsonNode> out = new ArrayList<>();
    KeelFixture.json(r).path("data").forEach(out::add);
    return out;
  }

  // --- 15: reversed time ranges

  @Test
  void reversedTimeRange_400NamingBothOnEveryReadEndpoint() {
    String range = "fromTimestamp=2026-12-05T00:00:00Z&toTimestamp=2026-12-01T00:00:00Z";
    String[] paths = {"/api/public/traces?" + range, "/api/public/sessions?" + range,
        "/api/public/v2/scores?" + range, "/api/public/metrics/daily?" + range,
        "/api/public/observations?fromStartTime=2026-12-05T00:00:00Z"
            + "&toStartTime=2026-12-01T00:00:00Z"};
    for (String path : paths) {
      HttpResponse<String> r = keel.get(path, "authorization", KeelFixture.basicPair());

      assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(400);
      assertThat(r.body()).as(path).contains("must not be after")
          .contains("2026-12-05T00:00:00Z").contains("2026-12-01T00:00:00Z");
    }
    HttpResponse<String> prompts = keel.get("/api/public/v2/prompts?fromUpdatedAt="
        + "2026-12-05T00:00:00Z&toUpdatedAt=2026-12-01T00:00:00Z", "authorization",
        KeelFixture.basicPair());
    assertThat(prompts.statusCode()).as(prompts.body()).isEqualTo(400);
    assertThat(prompts.body()).contains("fromUpdatedAt").contains("toUpdatedAt");
  }

  @Test
  void reversedTimeRangeInUi_inlineMessage() {
    HttpResponse<String> signIn = keel.post("/ui/login", "key=" + KeelFixture.MASTER_KEY,
        "content-type", "application/x-www-form-urlencoded");
    String cookie = signIn.headers().firstValue("set-cookie").orElseThrow().split(";")[0];

    HttpResponse<String> r = keel.get("/ui/traces?from=2026-12-05&to=2026-12-01", "cookie",
        cookie);

    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body()).contains("from must not be after to").contains("<form");
  }

  // --- 14: a key's model scope on /v1/models

  @Test
  void scopedKey_modelsListAndRetrieveShowOnlyItsModels() {
    String key = createKey("{\"name\":\"scoped\",\"models\":[\"gpt-4o-mini\"]}");

    HttpResponse<String> list = keel.get("/v1/models", "authorization", "Bearer " + key);
    HttpResponse<String> mine = keel.get("/v1/models/gpt-4o-mini", "authorization",
        "Bearer " + key);
    HttpResponse<String> other = keel.get("/v1/models/gpt-4o", "authorization",
        "Bearer " + key);
    HttpResponse<String> asMaster = keel.get("/v1/models/gpt-4o", "authorization",
        KeelFixture.bearerMaster());

    List<String> ids = new ArrayList<>();
    KeelFixture.json(list).path("data").forEach(m -> ids.add(m.path("id").asText()));
    assertThat(ids).containsExactly("gpt-4o-mini");
    assertThat(mine.statusCode()).isEqualTo(200);
    assertThat(other.statusCode()).isEqualTo(404);
    assertThat(other.body()).contains("model 'gpt-4o' does not exist here for this key");
    assertThat(asMaster.statusCode()).isEqualTo(200);
  }

  // --- 18: why a key is refused

  @Test
  void expiredKey_401SayingItExpired() throws Exception {
    Instant expiry = Instant.now().plusSeconds(2);
    String expiring = createKey("{\"name\":\"short\",\"expires_at\":\"" + expiry + "\"}");
    assertThat(keel.get("/v1/models", "authorization", "Bearer " + expiring).statusCode())
        .isEqualTo(200);
    while (!Instant.now().isAfter(expiry.plusMillis(100))) {
      Thread.sleep(100);
    }
    HttpResponse<String> expired = keel.post("/v1/chat/completions", body("gpt-4o-mini"),
        "authorization", "Bearer " + expiring, "content-type", "application/json");

    assertThat(expired.statusCode()).isEqualTo(401);
    assertThat(KeelFixture.json(expired).path("error").path("message").asText())
        .startsWith("API key expired at ");
  }

  @Test
  void requestLineOverTheLimit_414WithAJsonMessage() {
    HttpResponse<String> r = keel.get("/api/keel/keys/" + "k".repeat(5000), "authorization",
        KeelFixture.bearerMaster());

    assertThat(r.statusCode()).isEqualTo(414);
    assertThat(r.headers().firstValue("content-type")).hasValue("application/json");
    assertThat(KeelFixture.json(r).path("message").asText())
        .contains("request line too long").contains("4096 bytes");
  }

  private static String createKey(String json) {
    HttpResponse<String> r = keel.post("/api/keel/keys", json, master());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    return KeelFixture.json(r).path("key").asText();
  }

  private static String raw(byte[] request) throws Exception {
    int port = Integer.parseInt(keel.baseUrl().substring(keel.baseUrl().lastIndexOf(':') + 1));
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(20_000);
      OutputStream out = s.getOutputStream();
      out.write(request);
      out.flush();
      InputStream in = s.getInputStream();
      // Reads the status line and headers, then content-length bytes of body.
      ByteArrayOutputStream got = new ByteArrayOutputStream();
      int headEnd = -1;
      int length = 0;
      byte[] buf = new byte[8192];
      while (headEnd < 0 || got.size() < headEnd + length) {
        int n = in.read(buf);
        if (n < 0) {
          break;
        }
        got.write(buf, 0, n);
        String text = got.toString(StandardCharsets.ISO_8859_1);
        if (headEnd < 0 && text.contains("\r\n\r\n")) {
          headEnd = text.indexOf("\r\n\r\n") + 4;
          var m = java.util.regex.Pattern.compile("(?i)content-length: *(\\d+)")
              .matcher(text.substring(0, headEnd));
          length = m.find() ? Integer.parseInt(m.group(1)) : 0;
        }
      }
      return got.toString(StandardCharsets.UTF_8);
    }
  }
}
