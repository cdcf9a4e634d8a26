package dev.keel.store;

import static dev.keel.store.Fixtures.T0;
import static dev.keel.store.Fixtures.bareTrace;
import static dev.keel.store.Fixtures.generation;
import static dev.keel.store.Fixtures.newProject;
import static dev.keel.store.Fixtures.span;
import static dev.keel.store.Fixtures.trace;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The trace list's observation, cost and latency filters; each dialect's IT extends it. The
 * traces: m1 (a gpt-4o generation costing $0.5, 1.5 s), m2 (a WARNING span, 0.1 s, free), m3
 * (no observations: latency unknown) and m4 (a $0.002 generation and a WARNING span, 1.5 s).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class TraceFilterContract {

  private Store store;
  private TraceStore traces;
  private final String p = newProject();

  protected abstract Store openStore() throws Exception;

  protected void dropStore() throws Exception {
  }

  @BeforeAll
  void open() throws Exception {
    store = openStore();
    traces = store.traces();
    traces.write(List.of(trace(p, "m1", T0), bareTrace(p, "m2", T0.plusSeconds(60)),
        bareTrace(p, "m3", T0.plusSeconds(90)), trace(p, "m4", T0.plusSeconds(120))),
        List.of(generation(p, "m1", "m1-g", T0, "0.5"),
            span(p, "m2", "m2-s", T0.plusSeconds(60)),
            generation(p, "m4", "m4-g", T0.plusSeconds(120), "0.002"),
            span(p, "m4", "m4-s", T0.plusSeconds(120))));
  }

  @AfterAll
  void close() throws Exception {
    store.close();
    dropStore();
  }

  @Test
  void listTraces_model_matchesTracesWithAnyObservationOfIt() {
    assertThat(ids(filter("gpt-4o", null, null, null, null, null))).containsExactly("m4", "m1");
    assertThat(ids(filter("gpt-4o-mini", null, null, null, null, null))).isEmpty();
  }

  @Test
  void listTraces_level_matchesTracesWithAnyObservationAtIt() {
    assertThat(ids(filter(null, "WARNING", null, null, null, null)))
        .containsExactly("m4", "m2");
    assertThat(ids(filter(null, "DEFAULT", null, null, null, null)))
        .containsExactly("m4", "m1");
    assertThat(ids(filter(null, "ERROR", null, null, null, null))).isEmpty();
  }

  @Test
  void listTraces_costBounds_areInclusiveAndExact() {
    assertThat(ids(filter(null, null, "0.002", null, null, null))).containsExactly("m4", "m1");
    assertThat(ids(filter(null, null, "0.002000000001", null, null, null)))
        .containsExactly("m1");
    assertThat(ids(filter(null, null, null, "0.002", null, null)))
        .containsExactly("m4", "m3", "m2");
    assertThat(ids(filter(null, null, "0.001", "0.1", null, null))).containsExactly("m4");
    assertThat(ids(filter(null, null, "1", "1000000000", null, null))).isEmpty();
  }

  @Test
  void listTraces_latencyBounds_skipTracesWithUnknownLatency() {
    assertThat(ids(filter(null, null, null, null, Duration.ofSeconds(1), null)))
        .containsExactly("m4", "m1");
    assertThat(ids(filter(null, null, null, null, null, Duration.ofSeconds(1))))
        .containsExactly("m2");
    assertThat(ids(filter(null, null, null, null, Duration.ofMillis(1500),
        Duration.ofMillis(1500)))).containsExactly("m4", "m1");
    assertThat(ids(filter(null, null, null, null, Duration.ZERO, null)))
        .containsExactly("m4", "m2", "m1");
  }

  @Test
  void listTraces_filtersTogether_allMustMatchAndCountAgrees() {
    Page<TraceSummary> page = filter("gpt-4o", "WARNING", null, "0.01", Duration.ofSeconds(1),
        null);

    assertThat(ids(page)).containsExactly("m4");
    assertThat(page.totalItems()).isEqualTo(1);
  }

  @Test
  void traceQuery_badFilters_nameWhatIsWrong() {
    assertThatThrownBy(() -> query("gpt-4o", "FATAL", null, null, null, null))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("level")
        .hasMessageContaining("FATAL");
    assertThatThrownBy(() -> query(null, null, "2", "1", null, null))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cost")
        .hasMessageContaining("2 > 1");
    assertThatThrownBy(() -> query(null, null, "-1", null, null, null))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-1");
    assertThatThrownBy(() -> query(null, null, null, null, Duration.ofSeconds(-1), null))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("latency");
  }

  private Page<TraceSummary> filter(String model, String level, String minCost, String maxCost,
      Duration minLatency, Duration maxLatency) {
    return traces.listTraces(query(model, level, minCost, maxCost, minLatency, maxLatency));
  }

  private TraceQuery query(String model, String level, String minCost, String maxCost,
      Duration minLatency, Duration maxLatency) {
    return new TraceQuery(p, null, null, null, null, null, null, null, model, level,
        minCost == null ? null : new BigDecimal(minCost),
        maxCost == null ? null : new BigDecimal(maxCost), minLatency, maxLatency, 1, 50);
  }

  private static List<String> ids(Page<TraceSummary> page) {
    return page.items().stream().map(s -> s.trace().id()).toList();
  }
}
