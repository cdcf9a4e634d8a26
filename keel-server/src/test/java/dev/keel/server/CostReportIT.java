package dev.keel.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code GET /api/keel/reports/cost} over real gateway calls to the simulator. */
class CostReportIT {

  @TempDir
  static Path dir;
  private static KeelFixture keel;
  private static String aliceKeyId;
  private static BigDecimal firstCost;

  @BeforeAll
  static void start() {
    keel = KeelFixture.start(dir, "cache: {enabled: true, ttl_seconds: 60}\n");
    JsonNode created = KeelFixture.json(keel.post("/api/keel/keys",
        "{\"name\":\"alice-key\",\"user\":\"alice\",\"team\":\"ml\"}",
        "authorization", KeelFixture.bearerMaster(), "content-type", "application/json"));
    aliceKeyId = created.path("id").asText();
    String aliceKey = created.path("key").asText();
    String cached = chatBody("gpt-4o", "[[sim usage prompt=1000 cached=800 completion=10]] "
        + UUID.randomUUID());
    HttpResponse<String> first = keel.post("/v1/chat/completions", cached, "authorization",
        "Bearer " + aliceKey, "content-type", "application/json");
    firstCost = new BigDecimal(first.headers().firstValue("x-keel-cost-usd").orElseThrow());
    keel.post("/v1/chat/completions", cached, "authorization", "Bearer " + aliceKey,
        "content-type", "application/json");
    keel.chat(chatBody("gpt-4o-mini", "[[sim usage prompt=100 completion=10]] hello"));
    keel.chat(chatBody("gpt-4o-mini", "[[sim fault=500]] broken"));
    keel.server.flushTraces();
  }

  @AfterAll
  static void stop() {
    keel.close();
  }

  @Test
  void byModel_sumsSpendErrorsCacheSavingsAndPromptCaching() {
    JsonNode r = report("");

    assertThat(r.path("groupBy").asText()).isEqualTo("model");
    JsonNode gpt = group(r, "gpt-4o");
    assertThat(gpt.path("generations").asLong()).isEqualTo(2);
    assertThat(gpt.path("cacheHits").asLong()).isEqualTo(1);
    assertThat(gpt.path("costUsd").decimalValue()).isEqualByComparingTo(firstCost);
    assertThat(gpt.path("cacheSavingUsd").decimalValue()).isEqualByComparingTo(firstCost);
    assertThat(gpt.path("cachedInputTokens").asLong()).isEqualTo(1600);
    // gpt-4o: input 2.50 and cached input 1.25 USD per million tokens, so 800 cached tokens
    // saved 800 x 1.25 / 1e6 on the first call; the cache hit replays the same usage.
    assertThat(gpt.path("promptCachingSavingUsd").decimalValue())
        .isEqualByComparingTo("0.002");
    assertThat(gpt.path("cachedInputShare").asDouble()).isEqualTo(0.8);
    assertThat(group(r, "gpt-4o-mini").path("errors").asLong()).isGreaterThanOrEqualTo(1);
    assertThat(r.path("savings").path("cacheUsd").decimalValue()).isEqualByComparingTo(firstCost);
    assertThat(r.path("projectedMonthlyUsd").decimalValue()).isPositive();
  }

  @Test
  void byKeyUserAndTeam_attributeSpendToTheVirtualKey() {
    assertThat(group(report("&groupBy=key"), aliceKeyId).path("costUsd").decimalValue())
        .isEqualByComparingTo(firstCost);
    assertThat(group(report("&groupBy=key"), "master").path("generations").asLong())
        .isGreaterThanOrEqualTo(2);
    assertThat(group(report("&groupBy=user"), "alice").path("generations").asLong())
        .isEqualTo(2);
    assertThat(group(report("&groupBy=team"), "ml").path("costUsd").decimalValue())
        .isEqualByComparingTo(firstCost);
  }

  @Test
  void byDay_namesTodayInUtc() {
    JsonNode r = report("&groupBy=day");

    assertThat(r.path("groups").get(0).path("group").asText())
        .isEqualTo(Instant.now().toString().substring(0, 10));
  }

  @Test
  void badInput_isA400NamingTheParameter_andTheMasterKeyIsRequired() {
    HttpResponse<String> badGroup = keel.get("/api/keel/reports/cost?groupBy=colour",
        "authorization", KeelFixture.bearerMaster());
    HttpResponse<String> badTime = keel.get("/api/keel/reports/cost?fromTimestamp=yesterday",
        "authorization", KeelFixture.bearerMaster());
    HttpResponse<String> noKey = keel.get("/api/keel/reports/cost");
    HttpResponse<String> post = keel.post("/api/keel/reports/cost", "{}", "authorization",
        KeelFixture.bearerMaster());

    assertThat(badGroup.statusCode()).isEqualTo(400);
    assertThat(badGroup.body()).contains("groupBy must be one of model, key, user, team, "
        + "prompt, day, prompt_day: colour");
    assertThat(badTime.statusCode()).isEqualTo(400);
    assertThat(badTime.body()).contains("fromTimestamp must be an ISO-8601 date-time");
    assertThat(noKey.statusCode()).isEqualTo(401);
    assertThat(post.statusCode()).isEqualTo(405);
  }

  private static JsonNode report(String query) {
    HttpResponse<String> r = keel.get("/api/keel/reports/cost?x=1" + query, "authorization",
        KeelFixture.bearerMaster());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return KeelFixture.json(r);
  }

  private static JsonNode group(JsonNode report, String name) {
    for (JsonNode g : report.path("groups")) {
      if (name.equals(g.path("group").asText())) {
        return g;
      }
    }
    throw new AssertionError("no group " + name + " in " + report);
  }

  private static String chatBody(String model, String content) {
    return "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\""
        + content + "\"}]}";
  }
}
