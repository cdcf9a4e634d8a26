package dev.keel.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Virtual keys, budgets and rate limits through a real Keel and its simulator: the keys and
 * budgets APIs, model scope, budget refusals before the provider is called, soft-limit alerts
 * to a local webhook, rate-limit headers and 429s, and streams settled at their real cost.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CostControlIT {

  private KeelFixture keel;
  private HttpServer webhook;
  private final List<JsonNode> alerts = new CopyOnWriteArrayList<>();

  @BeforeAll
  void start(@TempDir Path dir) throws IOException {
    webhook = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    webhook.createContext("/hook", ex -> {
      alerts.add(KeelFixture.json(new String(ex.getRequestBody().readAllBytes(),
          StandardCharsets.UTF_8)));
      ex.sendResponseHeaders(204, -1);
      ex.close();
    });
    webhook.start();
    keel = KeelFixture.start(dir, "budgets:\n  time_zone: Europe/Paris\n  alert_webhook_url: "
        + "http://127.0.0.1:" + webhook.getAddress().getPort() + "/hook\n");
  }

  @AfterAll
  void stop() {
    keel.close();
    webhook.stop(0);
  }

  @Test
  void keys_createListRotateRevoke_secretShownOnceAndOldSecretsStopWorking() {
    JsonNode made = createKey("{\"name\":\"ci\",\"user\":\"ann\",\"team\":\"ml\","
        + "\"metadata\":{\"env\":\"ci\"}}");
    String id = made.path("id").asText();
    String secret = made.path("key").asText();

    HttpResponse<String> list = keel.get("/api/keel/keys", "authorization",
        KeelFixture.bearerMaster());
    JsonNode rotated = KeelFixture.json(keel.post("/api/keel/keys/" + id + "/rotate", "",
        "authorization", KeelFixture.bearerMaster()));
    String newSecret = rotated.path("key").asText();

    assertThat(secret).startsWith("sk-keel-").hasSize(48);
    assertThat(list.body()).doesNotContain(secret).contains(id)
        .contains("sk-keel-..." + secret.substring(44)).doesNotContain(secret.substring(8, 16));
    assertThat(rotated.path("id").asText()).isEqualTo(id);
    assertThat(rotated.path("team").asText()).isEqualTo("ml");
    assertThat(chatAs(secret, "gpt-4o-mini").statusCode()).isEqualTo(401);
    assertThat(chatAs(newSecret, "gpt-4o-mini").statusCode()).isEqualTo(200);
    keel.post("/api/keel/keys/" + id + "/revoke", "", "authorization",
        KeelFixture.bearerMaster());
    assertThat(chatAs(newSecret, "gpt-4o-mini").statusCode()).isEqualTo(401);
  }

  @Test
  void keys_virtualKeyOnKeelApi_forbidden() {
    String secret = createKey("{\"name\":\"nosy\"}").path("key").asText();

    HttpResponse<String> r = keel.get("/api/keel/keys", "authorization", "Bearer " + secret);

    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(KeelFixture.json(r).path("message").asText())
        .isEqualTo("/api/keel needs the master key");
  }

  @Test
  void keys_badInput_400NamingTheField() {
    HttpResponse<String> r = keel.post("/api/keel/keys", "{\"rpm\":-3}", "authorization",
        KeelFixture.bearerMaster(), "content-type", "application/json");
    HttpResponse<String> badBudget = keel.post("/api/keel/keys",
        "{\"budget\":{\"limit_usd\":1,\"period\":\"yearly\"}}", "authorization",
        KeelFixture.bearerMaster(), "content-type", "application/json");

    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(KeelFixture.json(r).path("message").asText()).isEqualTo("rpm must be positive: -3");
    assertThat(badBudget.statusCode()).isEqualTo(400);
    assertThat(KeelFixture.json(badBudget).path("message").asText())
        .startsWith("period must be daily, weekly, monthly, total");
  }

  @Test
  void keys_badExpiresIn_400NamingExpiresIn() {
    HttpResponse<String> word = keel.post("/api/keel/keys", "{\"expires_in\":\"soon\"}",
        "authorization", KeelFixture.bearerMaster(), "content-type", "application/json");
    HttpResponse<String> calendar = keel.post("/api/keel/keys", "{\"expires_in\":\"monthly\"}",
        "authorization", KeelFixture.bearerMaster(), "content-type", "application/json");

    assertThat(word.statusCode()).isEqualTo(400);
    assertThat(KeelFixture.json(word).path("message").asText())
        .isEqualTo("expires_in must be a duration like 30m, 12h or 30d: soon");
    assertThat(calendar.statusCode()).isEqualTo(400);
    assertThat(KeelFixture.json(calendar).path("message").asText())
        .isEqualTo("expires_in must be a duration like 30m, 12h or 30d: monthly");
  }

  @Test
  void chat_modelOutsideKeyScope_403NamingModelAndKeyModels() {
    String secret = createKey("{\"name\":\"mini-only\",\"models\":[\"gpt-4o-mini\"]}")
        .path("key").asText();

    HttpResponse<String> r = chatAs(secret, "gpt-4o");

    assertThat(r.statusCode()).isEqualTo(403);
    JsonNode err = KeelFixture.json(r).path("error");
    assertThat(err.path("type").asText()).isEqualTo("permission_error");
    assertThat(err.path("message").asText()).isEqualTo("key 'mini-only' may not use model"
        + " 'gpt-4o'; its models are: gpt-4o-mini");
  }

  @Test
  void chat_budgetSpent_429BeforeTheProviderIsCalled() {
    JsonNode made = createKey("{\"name\":\"tiny\",\"budget\":{\"limit_usd\":0.000001,"
        + "\"period\":\"daily\"}}");
    String secret = made.path("key").asText();
    assertThat(chatAs(secret, "gpt-4o-mini").statusCode()).isEqualTo(200);
    String refusedTrace = "refused-" + UUID.randomUUID();

    HttpResponse<String> r = chatAs(secret, "gpt-4o-mini", "x-keel-trace-id", refusedTrace);

    assertThat(r.statusCode()).isEqualTo(429);
    JsonNode err = KeelFixture.json(r).path("error");
    assertThat(err.path("code").asText()).isEqualTo("budget_exceeded");
    assertThat(err.path("message").asText()).startsWith("budget exceeded: key '"
        + made.path("id").asText() + "' daily budget: spent $").contains("of limit $0.000001");
    assertThat(r.headers().firstValue("retry-after")).isPresent();
    keel.server.flushTraces();
    assertThat(keel.server.store().traces().findTrace(KeelFixture.PROJECT, refusedTrace))
        .isEmpty();
  }

  @Test
  void chat_softLimitCrossed_oneWebhookAlertPerPeriod() throws Exception {
    JsonNode made = createKey("{\"name\":\"alerting\",\"budget\":{\"limit_usd\":1,"
        + "\"period\":\"monthly\",\"soft_limits\":[0.000001]}}");
    String secret = made.path("key").asText();

    for (int i = 0; i < 3; i++) {
      assertThat(chatAs(secret, "gpt-4o-mini").statusCode()).isEqualTo(200);
    }
    keel.server.flushTraces();
    waitFor(() -> alerts.stream().anyMatch(a -> isFor(a, made)));
    Thread.sleep(300);

    List<JsonNode> mine = alerts.stream().filter(a -> isFor(a, made)).toList();
    assertThat(mine).hasSize(1);
    assertThat(mine.get(0).path("type").asText()).isEqualTo("budget.soft_limit");
    assertThat(mine.get(0).path("scope").asText()).isEqualTo("key");
    assertThat(mine.get(0).path("limit_usd").decimalValue()).isEqualByComparingTo("1");
  }

  @Test
  void chat_rpmLimit_headersThen429WithRetryAfter() {
    String secret = createKey("{\"name\":\"slow\",\"rpm\":2}").path("key").asText();

    HttpResponse<String> first = chatAs(secret, "gpt-4o-mini");
    HttpResponse<String> second = chatAs(secret, "gpt-4o-mini");
    HttpResponse<String> third = chatAs(secret, "gpt-4o-mini");

    if (first.headers().firstValue("x-ratelimit-remaining-requests").orElse("").equals("1")) {
      assertThat(second.headers().firstValue("x-ratelimit-remaining-requests")).contains("0");
      assertThat(third.statusCode()).isEqualTo(429);
      assertThat(third.headers().firstValue("retry-after")).isPresent();
      assertThat(third.headers().firstValue("x-ratelimit-limit-requests")).contains("2");
      assertThat(KeelFixture.json(third).path("error").path("type").asText())
          .isEqualTo("rate_limit_error");
    } else {
      // The minute turned between the first two requests: the counts started again.
      assertThat(second.headers().firstValue("x-ratelimit-remaining-requests")).contains("1");
    }
    assertThat(first.headers().firstValue("x-ratelimit-limit-requests")).contains("2");
    assertThat(first.headers().firstValue("x-ratelimit-reset-requests").orElseThrow())
        .matches("[0-9.]+m?s");
  }

  @Test
  void chat_tpmLimit_billedTokensCountAndTheNextRequestIsRefused() {
    String secret = createKey("{\"name\":\"wordy\",\"tpm\":1}").path("key").asText();
    assertThat(chatAs(secret, "gpt-4o-mini").statusCode()).isEqualTo(200);

    HttpResponse<String> r = chatAs(secret, "gpt-4o-mini");

    if (r.statusCode() == 429) {
      assertThat(KeelFixture.json(r).path("error").path("message").asText())
          .startsWith("rate limit reached: key ").contains("allows 1 tokens per minute");
      assertThat(r.headers().firstValue("x-ratelimit-remaining-tokens")).contains("0");
    } else {
      // The minute turned between the two requests: the token count started again.
      assertThat(r.headers().firstValue("x-ratelimit-remaining-tokens")).contains("1");
    }
  }

  @Test
  void chat_streaming_settlesTheRealCostAndTraceRecordsTheKey() throws Exception {
    JsonNode made = createKey("{\"name\":\"streamer\",\"user\":\"ann\",\"team\":\"ml\","
        + "\"budget\":{\"limit_usd\":1,\"period\":\"total\"}}");
    String secret = made.path("key").asText();
    String traceId = "stream-" + UUID.randomUUID();

    HttpResponse<String> r = keel.post("/v1/chat/completions", "{\"model\":\"gpt-4o-mini\","
        + "\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
        "authorization", "Bearer " + secret, "content-type", "application/json",
        "x-keel-trace-id", traceId);
    var trace = keel.trace(traceId);
    String budgetPath = "/api/keel/budgets/" + made.path("budgets").get(0).path("id").asText();
    // The stream is settled right after its trace is queued, on the request's thread.
    waitFor(() -> KeelFixture.json(keel.get(budgetPath, "authorization",
        KeelFixture.bearerMaster())).path("spent_usd").decimalValue().signum() > 0);
    JsonNode budget = KeelFixture.json(keel.get(budgetPath, "authorization",
        KeelFixture.bearerMaster()));

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(trace.totalCost()).isPositive();
    assertThat(budget.path("spent_usd").decimalValue())
        .isEqualByComparingTo(trace.totalCost());
    assertThat(budget.path("reserved_usd").decimalValue()).isEqualByComparingTo(BigDecimal.ZERO);
    JsonNode md = KeelFixture.json(trace.trace().metadata());
    assertThat(md.path("keel_key_id").asText()).isEqualTo(made.path("id").asText());
    assertThat(md.path("keel_key_user").asText()).isEqualTo("ann");
    assertThat(md.path("keel_key_team").asText()).isEqualTo("ml");
  }

  @Test
  void budgets_setListShowDelete_throughTheApi() {
    HttpResponse<String> set = keel.send(keel.request("/api/keel/budgets", "authorization",
        KeelFixture.bearerMaster(), "content-type", "application/json")
        .PUT(java.net.http.HttpRequest.BodyPublishers.ofString("{\"scope\":\"team\","
            + "\"subject\":\"web\",\"limit_usd\":\"25.50\",\"period\":\"weekly\","
            + "\"soft_limits\":[0.5,0.8]}")));
    String id = KeelFixture.json(set).path("id").asText();

    HttpResponse<String> list = keel.get("/api/keel/budgets", "authorization",
        KeelFixture.bearerMaster());
    HttpResponse<String> deleted = keel.send(keel.request("/api/keel/budgets/" + id,
        "authorization", KeelFixture.bearerMaster()).DELETE());
    HttpResponse<String> gone = keel.get("/api/keel/budgets/" + id, "authorization",
        KeelFixture.bearerMaster());

    assertThat(set.statusCode()).isEqualTo(200);
    assertThat(KeelFixture.json(set).path("limit_usd").decimalValue())
        .isEqualByComparingTo("25.5");
    assertThat(KeelFixture.json(set).path("resets_at").asText()).endsWith(":00:00Z");
    assertThat(list.body()).contains(id);
    assertThat(deleted.statusCode()).isEqualTo(200);
    assertThat(gone.statusCode()).isEqualTo(404);
  }

  private JsonNode createKey(String body) {
    HttpResponse<String> r = keel.post("/api/keel/keys", body, "authorization",
        KeelFixture.bearerMaster(), "content-type", "application/json");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    return KeelFixture.json(r);
  }

  private HttpResponse<String> chatAs(String key, String model, String... headers) {
    String[] all = new String[headers.length + 4];
    all[0] = "authorization";
    all[1] = "Bearer " + key;
    all[2] = "content-type";
    all[3] = "application/json";
    System.arraycopy(headers, 0, all, 4, headers.length);
    return keel.post("/v1/chat/completions", "{\"model\":\"" + model + "\",\"messages\":"
        + "[{\"role\":\"user\",\"content\":\"hello\"}]}", all);
  }

  private static boolean isFor(JsonNode alert, JsonNode key) {
    return alert.path("subject").asText().equals(key.path("id").asText());
  }

  private static void waitFor(java.util.function.BooleanSupplier done) throws Exception {
    long end = System.nanoTime() + 5_000_000_000L;
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > end) {
        throw new AssertionError("timed out waiting");
      }
      Thread.sleep(20);
    }
  }
}
