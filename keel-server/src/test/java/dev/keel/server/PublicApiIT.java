package dev.keel.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Langfuse-compatible read API and {@code /metrics} over traces the gateway recorded: auth
 * matrix, filters, pagination, observation details and daily metrics.
 */
class PublicApiIT {

  @TempDir
  static Path dir;
  private static KeelFixture keel;
  private static Instant before;
  private static String checkoutStreamed;
  private static String support;
  private static String checkoutPlain;

  @BeforeAll
  static void start() {
    keel = KeelFixture.start(dir);
    before = Instant.now().minusSeconds(1);
    checkoutStreamed = UUID.randomUUID().toString();
    support = UUID.randomUUID().toString();
    checkoutPlain = UUID.randomUUID().toString();
    ok(keel.chat("{\"model\":\"gpt-4o-mini\",\"stream\":true,\"stream_options\":"
        + "{\"include_usage\":true},\"messages\":[{\"role\":\"user\",\"content\":"
        + "\"Where is my order? [[sim usage prompt=14 cached=14 completion=10 ttft_ms=20]]\"}]}",
        headers(checkoutStreamed, "checkout", "alice", "s1", "prod,eu")));
    ok(keel.post("/v1/messages", "{\"model\":\"claude-3-5-haiku-20241022\",\"max_tokens\":50,"
        + "\"messages\":[{\"role\":\"user\",\"content\":\"Reset my password\"}]}",
        concat(headers(support, "support", "bob", "s2", "prod"), "x-api-key",
            KeelFixture.MASTER_KEY)));
    ok(keel.chat("{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":"
        + "\"Track parcel\"}]}", headers(checkoutPlain, "checkout", "alice", "s1", "eu")));
    keel.server.flushTraces();
  }

  @AfterAll
  static void stop() {
    keel.close();
  }

  @Test
  void traces_basicAuth_newestFirstWithPageMeta() {
    JsonNode page = read("/api/public/traces", KeelFixture.basicPair());

    assertThat(ids(page)).containsExactly(checkoutPlain, support, checkoutStreamed);
    assertThat(page.path("meta").path("page").asInt()).isEqualTo(1);
    assertThat(page.path("meta").path("limit").asInt()).isEqualTo(50);
    assertThat(page.path("meta").path("totalItems").asInt()).isEqualTo(3);
    assertThat(page.path("meta").path("totalPages").asInt()).isEqualTo(1);
  }

  @Test
  void traces_bearerMaster_sameList() {
    JsonNode page = read("/api/public/traces", KeelFixture.bearerMaster());

    assertThat(ids(page)).containsExactly(checkoutPlain, support, checkoutStreamed);
  }

  @Test
  void traces_filters_userSessionNameTagsAndTime() {
    String basic = KeelFixture.basicPair();

    assertThat(ids(read("/api/public/traces?userId=alice", basic)))
        .containsExactly(checkoutPlain, checkoutStreamed);
    assertThat(ids(read("/api/public/traces?sessionId=s2", basic))).containsExactly(support);
    assertThat(ids(read("/api/public/traces?name=support", basic))).containsExactly(support);
    assertThat(ids(read("/api/public/traces?tags=eu", basic)))
        .containsExactly(checkoutPlain, checkoutStreamed);
    assertThat(ids(read("/api/public/traces?tags=prod&tags=eu", basic)))
        .containsExactly(checkoutStreamed);
    assertThat(ids(read("/api/public/traces?fromTimestamp=" + before, basic))).hasSize(3);
    assertThat(ids(read("/api/public/traces?fromTimestamp="
        + Instant.now().plusSeconds(3600), basic))).isEmpty();
  }

  @Test
  void traces_pagination_pagesAreDisjointAndMetaCountsAll() {
    JsonNode first = read("/api/public/traces?limit=2&page=1", KeelFixture.basicPair());
    JsonNode second = read("/api/public/traces?limit=2&page=2", KeelFixture.basicPair());

    assertThat(ids(first)).containsExactly(checkoutPlain, support);
    assertThat(ids(second)).containsExactly(checkoutStreamed);
    assertThat(second.path("meta").path("page").asInt()).isEqualTo(2);
    assertThat(second.path("meta").path("limit").asInt()).isEqualTo(2);
    assertThat(second.path("meta").path("totalItems").asInt()).isEqualTo(3);
    assertThat(second.path("meta").path("totalPages").asInt()).isEqualTo(2);
  }

  @Test
  void traces_badLimit_400NamesTheParameter() {
    HttpResponse<String> r = keel.get("/api/public/traces?limit=1000", "authorization",
        KeelFixture.basicPair());

    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(KeelFixture.json(r).path("message").asText()).contains("limit", "1000");
  }

  // Langfuse lists each trace's observation ids; GET /api/public/traces renders them.
  @Test
  void traces_listItem_carriesItsObservationIds() {
    JsonNode page = read("/api/public/traces?sessionId=s2", KeelFixture.basicPair());

    String observationId = keel.onlyObservation(support).id();
    assertThat(page.path("data").get(0).path("observations"))
        .extracting(JsonNode::asText).containsExactly(observationId);
  }

  @Test
  void traceById_observationWithUsageCostModelAndTimeToFirstToken() {
    JsonNode t = read("/api/public/traces/" + checkoutStreamed, KeelFixture.basicPair());

    assertThat(t.path("id").asText()).isEqualTo(checkoutStreamed);
    assertThat(t.path("name").asText()).isEqualTo("checkout");
    assertThat(t.path("userId").asText()).isEqualTo("alice");
    assertThat(t.path("sessionId").asText()).isEqualTo("s1");
    assertThat(t.path("totalCost").decimalValue()).isEqualByComparingTo("0.00000705");
    JsonNode o = t.path("observations").get(0);
    assertThat(t.path("observations")).hasSize(1);
    assertThat(o.path("type").asText()).isEqualTo("GENERATION");
    assertThat(o.path("model").asText()).isEqualTo("gpt-4o-mini");
    assertThat(KeelFixture.JSON.convertValue(o.path("usageDetails"), Map.class))
        .isEqualTo(Map.of("input", 0, "input_cached_tokens", 14, "output", 10, "total", 24));
    assertThat(o.path("costDetails").path("total").decimalValue())
        .isEqualByComparingTo("0.00000705");
    assertThat(o.path("costDetails").path("input_cached_tokens").decimalValue())
        .isEqualByComparingTo("0.00000105");
    assertThat(o.path("calculatedTotalCost").decimalValue()).isEqualByComparingTo("0.00000705");
    assertThat(o.path("timeToFirstToken").isNumber()).as("timeToFirstToken in %s", o).isTrue();
    assertThat(o.path("timeToFirstToken").asDouble()).isBetween(0.0, 10.0);
    assertThat(o.path("completionStartTime").asText()).isNotBlank();
  }

  @Test
  void traceById_unknown_404InLangfuseShape() {
    HttpResponse<String> r = keel.get("/api/public/traces/no-such-trace", "authorization",
        KeelFixture.basicPair());

    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(KeelFixture.json(r).path("message").asText()).contains("no-such-trace");
  }

  @Test
  void observations_filteredByTraceAndType() {
    JsonNode byTrace = read("/api/public/observations?traceId=" + support,
        KeelFixture.basicPair());
    JsonNode generations = read("/api/public/observations?type=GENERATION",
        KeelFixture.bearerMaster());

    assertThat(byTrace.path("data")).hasSize(1);
    JsonNode o = byTrace.path("data").get(0);
    assertThat(o.path("model").asText()).isEqualTo("claude-3-5-haiku-20241022");
    assertThat(o.path("calculatedTotalCost").isNumber()).isTrue();
    assertThat(generations.path("meta").path("totalItems").asInt()).isEqualTo(3);
  }

  @Test
  void metricsDaily_todayCountsTracesAndSumsCost() {
    JsonNode daily = read("/api/public/metrics/daily", KeelFixture.basicPair());

    BigDecimal expected = BigDecimal.ZERO;
    for (String id : List.of(checkoutStreamed, support, checkoutPlain)) {
      expected = expected.add(keel.trace(id).totalCost());
    }
    JsonNode day = daily.path("data").get(0);
    String date = keel.trace(checkoutPlain).trace().timestamp().atZone(ZoneOffset.UTC)
        .toLocalDate().toString();
    assertThat(day.path("date").asText()).isEqualTo(date);
    assertThat(day.path("countTraces").asInt()).isEqualTo(3);
    assertThat(day.path("totalCost").decimalValue()).isEqualByComparingTo(expected);
    assertThat(day.path("usage")).extracting(u -> u.path("model").asText())
        .containsExactlyInAnyOrder("gpt-4o-mini", "gpt-4o", "claude-3-5-haiku-20241022");
  }

  @Test
  void health_withoutAuth_ok() {
    HttpResponse<String> r = keel.get("/api/public/health");

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(KeelFixture.json(r).path("status").asText()).isEqualTo("OK");
  }

  @Test
  void reads_withoutAuth_401WithMessage() {
    for (String path : List.of("/api/public/traces", "/api/public/traces/" + support,
        "/api/public/observations", "/api/public/metrics/daily")) {
      HttpResponse<String> r = keel.get(path);

      assertThat(r.statusCode()).as(path).isEqualTo(401);
      assertThat(KeelFixture.json(r).path("message").asText()).as(path).isNotBlank();
    }
  }

  @Test
  void reads_wrongSecret_401() {
    String basic = "Basic " + Base64.getEncoder().encodeToString(
        (KeelFixture.PUBLIC_KEY + ":sk-lf-wrong").getBytes(StandardCharsets.UTF_8));

    HttpResponse<String> r = keel.get("/api/public/traces", "authorization", basic);

    assertThat(r.statusCode()).isEqualTo(401);
  }

  @Test
  void reads_publicKeyAloneAsBearer_403() {
    HttpResponse<String> r = keel.get("/api/public/traces", "authorization",
        "Bearer " + KeelFixture.PUBLIC_KEY);

    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(KeelFixture.json(r).path("message").asText()).isNotBlank();
  }

  @Test
  void prometheus_needsMasterKey_andCountsRequestsAndTokens() {
    HttpResponse<String> none = keel.get("/metrics");
    HttpResponse<String> pair = keel.get("/metrics", "authorization", KeelFixture.basicPair());
    HttpResponse<String> master = keel.get("/metrics", "authorization",
        KeelFixture.bearerMaster());

    assertThat(none.statusCode()).isEqualTo(401);
    assertThat(pair.statusCode()).isEqualTo(403);
    assertThat(master.statusCode()).isEqualTo(200);
    assertThat(master.headers().firstValue("content-type")).hasValueSatisfying(
        ct -> assertThat(ct).startsWith("text/plain"));
    assertThat(master.body()).contains("# TYPE keel_requests_total counter",
        "# TYPE keel_tokens_total counter");
    assertThat(metricLines(master.body(), "keel_requests_total{"))
        .anySatisfy(l -> assertThat(l).contains("/v1/chat/completions", "gpt-4o-mini", "200"));
    assertThat(metricLines(master.body(), "keel_tokens_total{"))
        .anySatisfy(l -> assertThat(l).contains("model=\"gpt-4o-mini\"",
            "input_cached_tokens").endsWith(" 14"));
  }

  private static String[] headers(String traceId, String name, String user, String session,
      String tags) {
    return new String[] {"x-keel-trace-id", traceId, "x-keel-trace-name", name,
        "x-keel-user-id", user, "x-keel-session-id", session, "x-keel-tags", tags,
        "content-type", "application/json"};
  }

  private static String[] concat(String[] a, String... b) {
    String[] out = new String[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  private static void ok(HttpResponse<String> r) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
  }

  private static JsonNode read(String path, String authorization) {
    HttpResponse<String> r = keel.get(path, "authorization", authorization);
    assertThat(r.statusCode()).as(path + " -> " + r.body()).isEqualTo(200);
    return KeelFixture.json(r);
  }

  private static List<String> ids(JsonNode page) {
    List<String> out = new ArrayList<>();
    page.path("data").forEach(t -> out.add(t.path("id").asText()));
    return out;
  }

  private static List<String> metricLines(String text, String prefix) {
    return text.lines().filter(l -> l.startsWith(prefix)).toList();
  }
}
