package dev.keel.store.publicapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keel.store.TraceQuery;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Keel's own trace-list parameters: model, level, cost and latency bounds. */
class TraceFilterParamsTest {

  @Test
  void traceQuery_keelFilters_parsed() {
    Map<String, List<String>> params = Map.of("model", List.of("gpt-4o"),
        "level", List.of("ERROR"), "minTotalCost", List.of("0.001"),
        "maxTotalCost", List.of("2.5"), "minLatency", List.of("0.25"),
        "maxLatency", List.of("30"));

    TraceQuery q = PublicApiJson.traceQuery("p", params);

    assertThat(q.model()).isEqualTo("gpt-4o");
    assertThat(q.level()).isEqualTo("ERROR");
    assertThat(q.minCostUsd()).isEqualByComparingTo("0.001");
    assertThat(q.maxCostUsd()).isEqualByComparingTo(new BigDecimal("2.5"));
    assertThat(q.minLatency()).isEqualTo(Duration.ofMillis(250));
    assertThat(q.maxLatency()).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void traceQuery_noKeelFilters_matchEverything() {
    TraceQuery q = PublicApiJson.traceQuery("p", Map.of());

    assertThat(q.model()).isNull();
    assertThat(q.level()).isNull();
    assertThat(q.minCostUsd()).isNull();
    assertThat(q.maxLatency()).isNull();
  }

  @Test
  void traceQuery_badKeelFilters_failNamingParameterAndValue() {
    assertThatThrownBy(() -> parse("level", "FATAL")).isInstanceOf(
        IllegalArgumentException.class).hasMessage(
        "level must be one of [DEBUG, DEFAULT, WARNING, ERROR]: FATAL");
    assertThatThrownBy(() -> parse("minTotalCost", "cheap"))
        .hasMessage("minTotalCost must be a number: cheap");
    assertThatThrownBy(() -> parse("maxLatency", "-1"))
        .hasMessage("maxLatency must be between 0 and 1000000000: -1");
    assertThatThrownBy(() -> parse("minLatency", "1e12"))
        .hasMessage("minLatency must be between 0 and 1000000000: 1e12");
    assertThatThrownBy(() -> PublicApiJson.traceQuery("p", Map.of("minTotalCost",
        List.of("2"), "maxTotalCost", List.of("1"))))
        .hasMessage("minTotalCost must not exceed maxTotalCost: 2 > 1");
    assertThatThrownBy(() -> PublicApiJson.traceQuery("p", Map.of("model",
        List.of("a", "b")))).hasMessage("model must be given once: a,b");
  }

  private static TraceQuery parse(String name, String value) {
    return PublicApiJson.traceQuery("p", Map.of(name, List.of(value)));
  }
}
