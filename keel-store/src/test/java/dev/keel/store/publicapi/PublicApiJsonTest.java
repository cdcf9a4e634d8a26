package dev.keel.store.publicapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keel.core.cost.Cost;
import dev.keel.core.trace.Level;
import dev.keel.core.trace.Observation;
import dev.keel.core.trace.ObservationType;
import dev.keel.core.trace.Trace;
import dev.keel.core.usage.Usage;
import dev.keel.store.DailyMetrics;
import dev.keel.store.ObservationQuery;
import dev.keel.store.Page;
import dev.keel.store.TraceQuery;
import dev.keel.store.TraceSummary;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PublicApiJsonTest {

  private static final Instant T0 = Instant.parse("2025-03-01T10:00:00.123456Z");

  @Test
  void trace_rendersLangfuseFields() {
    var s = new TraceSummary(trace("{\"a\":1}"), new BigDecimal("0.0015"), false, 1.5, 2);

    ObjectNode n = PublicApiJson.trace(s, List.of("o1", "o2"));

    assertThat(n.get("id").asText()).isEqualTo("t1");
    assertThat(n.get("timestamp").asText()).isEqualTo("2025-03-01T10:00:00.123Z");
    assertThat(n.get("input").get("q").asText()).isEqualTo("hi");
    assertThat(n.get("output").asText()).isEqualTo("plain text");
    assertThat(n.get("metadata").get("a").asInt()).isEqualTo(1);
    assertThat(n.get("tags").toString()).isEqualTo("[\"prod\"]");
    assertThat(n.get("public").asBoolean()).isTrue();
    assertThat(n.get("htmlPath").asText()).isEqualTo("/project/p1/traces/t1");
    assertThat(n.get("latency").asDouble()).isEqualTo(1.5);
    assertThat(n.get("totalCost").decimalValue()).isEqualByComparingTo("0.0015");
    assertThat(n.get("observations").toString()).isEqualTo("[\"o1\",\"o2\"]");
    assertThat(n.get("scores").isEmpty()).isTrue();
    assertThat(n.get("projectId").asText()).isEqualTo("p1");
    assertThat(n.has("createdAt")).isTrue();
  }

  @Test
  void trace_costIncomplete_saysSoInMetadata() {
    var s = new TraceSummary(trace(null), BigDecimal.ONE, true, null, 1);

    ObjectNode n = PublicApiJson.trace(s);

    assertThat(n.get("metadata").get(PublicApiJson.COST_INCOMPLETE_KEY).asBoolean()).isTrue();
    assertThat(n.get("latency").isNull()).isTrue();
  }

  @Test
  void observation_rendersUsageCostAndTimings() {
    var usage = Usage.fromTotals(100, 20, 0, 0, 30, 5, 0, false);
    var cost = new Cost(Map.of("input", new BigDecimal("0.0002"),
        "input_cached_tokens", new BigDecimal("0.00001"), "output", new BigDecimal("0.0003"),
        Cost.TOTAL, new BigDecimal("0.00051")));

    ObjectNode n = PublicApiJson.observation(generation(usage, cost));

    assertThat(n.get("type").asText()).isEqualTo("GENERATION");
    assertThat(n.get("startTime").asText()).isEqualTo("2025-03-01T10:00:00.123Z");
    assertThat(n.get("latency").asDouble()).isEqualTo(2.0);
    assertThat(n.get("timeToFirstToken").asDouble()).isEqualTo(0.25);
    assertThat(n.get("modelParameters").get("temperature").asDouble()).isEqualTo(0.2);
    assertThat(n.get("usageDetails").get("input_cached_tokens").asLong()).isEqualTo(20);
    assertThat(n.get("usage").toString())
        .isEqualTo("{\"input\":100,\"output\":30,\"total\":130,\"unit\":\"TOKENS\"}");
    assertThat(n.get("costDetails").get("output").decimalValue()).isEqualByComparingTo("0.0003");
    assertThat(n.get("calculatedInputCost").decimalValue()).isEqualByComparingTo("0.00021");
    assertThat(n.get("calculatedTotalCost").decimalValue()).isEqualByComparingTo("0.00051");
    assertThat(n.get("level").asText()).isEqualTo("DEFAULT");
    assertThat(n.get("promptVersion").asInt()).isEqualTo(2);
  }

  @Test
  void observation_unknownCost_rendersNullNotZero() {
    ObjectNode n = PublicApiJson.observation(generation(Usage.NONE, null));

    assertThat(n.get("calculatedTotalCost").isNull()).isTrue();
    assertThat(n.get("costDetails").isEmpty()).isTrue();
    assertThat(n.get("usage").get("total").asLong()).isZero();
  }

  @Test
  void page_rendersDataAndMeta() {
    var p = new Page<>(List.of("x"), 2, 10, 21);

    ObjectNode n = PublicApiJson.page(List.of(PublicApiJson.trace(
        new TraceSummary(trace(null), BigDecimal.ZERO, false, null, 0))), p);

    assertThat(n.get("data").size()).isEqualTo(1);
    assertThat(n.get("meta").toString())
        .isEqualTo("{\"page\":2,\"limit\":10,\"totalItems\":21,\"totalPages\":3}");
  }

  @Test
  void daily_rendersDaysWithUsageByModel() {
    var day = new DailyMetrics(LocalDate.of(2025, 3, 1), 2, 3, new BigDecimal("0.1"),
        List.of(new DailyMetrics.ModelUsage("gpt-4o", 200, 70, 270, 2, 2,
            new BigDecimal("0.1"))));

    ObjectNode n = PublicApiJson.daily(List.of(day));

    ObjectNode d = (ObjectNode) n.get("data").get(0);
    assertThat(d.get("date").asText()).isEqualTo("2025-03-01");
    assertThat(d.get("countTraces").asLong()).isEqualTo(2);
    assertThat(d.get("usage").get(0).get("totalUsage").asLong()).isEqualTo(270);
    assertThat(n.get("meta").get("totalItems").asLong()).isEqualTo(1);
  }

  @Test
  void traceQuery_allParameters_parsed() {
    Map<String, List<String>> params = Map.of("page", List.of("2"), "limit", List.of("100"),
        "userId", List.of("u"), "name", List.of("n"), "sessionId", List.of("s"),
        "fromTimestamp", List.of("2025-01-01T00:00:00+01:00"),
        "toTimestamp", List.of("2025-01-02T00:00:00Z"), "tags", List.of("a", "b"),
        "environment", List.of("prod"), "orderBy", List.of("timestamp.desc"));

    TraceQuery q = PublicApiJson.traceQuery("p", params);

    assertThat(q).isEqualTo(new TraceQuery("p", Instant.parse("2024-12-31T23:00:00Z"),
        Instant.parse("2025-01-02T00:00:00Z"), "u", "s", "n", List.of("a", "b"), "prod", 2,
        100));
  }

  @Test
  void traceQuery_noParameters_defaults() {
    TraceQuery q = PublicApiJson.traceQuery("p", Map.of());

    assertThat(q.page()).isEqualTo(1);
    assertThat(q.limit()).isEqualTo(50);
    assertThat(q.tags()).isEmpty();
  }

  @Test
  void observationQuery_parameters_parsed() {
    ObservationQuery q = PublicApiJson.observationQuery("p", Map.of("traceId", List.of("t"),
        "type", List.of("GENERATION"), "fromStartTime", List.of("2025-01-01T00:00:00Z")));

    assertThat(q.traceId()).isEqualTo("t");
    assertThat(q.type()).isEqualTo("GENERATION");
    assertThat(q.fromStartTime()).isEqualTo(Instant.parse("2025-01-01T00:00:00Z"));
  }

  @Test
  void parse_badValues_failNamingParameterAndValue() {
    assertThatThrownBy(() -> PublicApiJson.traceQuery("p", Map.of("limit", List.of("101"))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("limit must be between 1 and 100: 101");
    assertThatThrownBy(() -> PublicApiJson.traceQuery("p", Map.of("page", List.of("x"))))
        .hasMessage("page must be an integer: x");
    assertThatThrownBy(() -> PublicApiJson.traceQuery("p",
        Map.of("fromTimestamp", List.of("2025-01-01T00:00:00"))))
        .hasMessageStartingWith("fromTimestamp must be an ISO-8601 date-time with an offset")
        .hasMessageEndingWith(": 2025-01-01T00:00:00");
    assertThatThrownBy(() -> PublicApiJson.observationQuery("p",
        Map.of("type", List.of("SPANX"))))
        .hasMessageStartingWith("type must be one of").hasMessageEndingWith(": SPANX");
  }

  private static Trace trace(String metadata) {
    return new Trace("t1", "p1", "chat", T0, "u1", "s1", "{\"q\":\"hi\"}", "plain text",
        metadata, List.of("prod"), "r1", "v1", "production", true);
  }

  private static Observation generation(Usage usage, Cost cost) {
    return new Observation("o1", "t1", "p1", null, ObservationType.GENERATION, "llm", T0,
        T0.plusSeconds(2), T0.plusMillis(250), "gpt-4o", "{\"temperature\":0.2}", "\"in\"",
        "\"out\"", null, null, null, usage, cost, "greet", 2, null);
  }
}
