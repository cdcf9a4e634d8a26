package dev.keel.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.keel.core.cost.Cost;
import dev.keel.core.trace.Level;
import dev.keel.core.trace.Observation;
import dev.keel.core.trace.ObservationType;
import dev.keel.core.trace.Trace;
import dev.keel.core.usage.Usage;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Cost reports and call health over stored generations; each dialect's IT extends it. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ReportStoreContract {

  private static final Instant DAY1 = Instant.parse("2025-03-01T10:00:00Z");
  private static final Instant DAY2 = Instant.parse("2025-03-02T10:00:00Z");
  private static final Instant FROM = Instant.parse("2025-03-01T00:00:00Z");
  private static final Instant TO = Instant.parse("2025-03-03T00:00:00Z");

  private Store store;
  private final String p = Fixtures.newProject();

  protected abstract Store openStore() throws Exception;

  protected void dropStore() throws Exception {
  }

  @BeforeAll
  void open() throws Exception {
    store = openStore();
    Trace alice = new Trace("ta", p, "chat", DAY1, null, null, null, null,
        "{\"keel_key_id\":\"k1\",\"keel_key_user\":\"alice\",\"keel_key_team\":\"ml\"}",
        List.of(), null, null, null, false);
    Trace bob = new Trace("tb", p, "chat", DAY1, "bob", null, null, null,
        "{\"keel_key_id\":\"k2\"}", List.of(), null, null, null, false);
    store.traces().write(List.of(alice, bob), List.of(
        gen("a1", "ta", "gpt-4o", DAY1, "0.5", "{\"client_format\":\"openai\"}",
            Level.DEFAULT, 20, 300),
        gen("a2", "ta", "gpt-4o", DAY1, "0", "{\"client_format\":\"openai\","
            + "\"cache_hit\":true,\"cache_saving_usd\":\"0.5\"}", Level.DEFAULT, 0, 10),
        gen("a3", "ta", "gpt-4o", DAY1, "0", "{\"client_format\":\"openai\","
            + "\"cache_hit\":true,\"cache_saving_usd\":\"0.5\"}", Level.DEFAULT, 0, 20),
        gen("b1", "tb", "claude", DAY1, null, "{\"client_format\":\"anthropic\"}",
            Level.ERROR, 0, 400),
        gen("i1", "tb", "claude", DAY1, null, null, Level.ERROR, 0, 9000),
        gen("b2", "tb", "claude", DAY2, "0.25", "{\"client_format\":\"anthropic\","
            + "\"routing_saving_usd\":\"0.75\"}",
            Level.DEFAULT, 0, 100)));
  }

  @AfterAll
  void close() throws Exception {
    store.close();
    dropStore();
  }

  @Test
  void costs_byModel_sumsCostTokensErrorsAndCacheSavings() {
    List<CostRow> rows = store.reports().costs(p, CostGroupBy.MODEL, FROM, TO);

    assertThat(rows).extracting(CostRow::group, CostRow::generations, CostRow::errors,
        CostRow::cachedInputTokens, CostRow::cacheHits).containsExactlyInAnyOrder(
            tuple("gpt-4o", 3L, 0L, 20L, 2L), tuple("claude", 3L, 2L, 0L, 0L));
    CostRow gpt = row(rows, "gpt-4o");
    assertThat(gpt.costUsd()).isEqualByComparingTo("0.5");
    assertThat(gpt.cacheSavingUsd()).isEqualByComparingTo("1.0");
    assertThat(gpt.inputTokens()).isEqualTo(3 * 100 + 20);
    assertThat(row(rows, "claude").costUsd()).isEqualByComparingTo("0.25");
    assertThat(row(rows, "claude").routingSavingUsd()).isEqualByComparingTo("0.75");
    assertThat(gpt.routingSavingUsd()).isEqualByComparingTo("0");
  }

  @Test
  void costs_byKeyUserTeam_readTheTraceMetadata() {
    assertThat(groups(CostGroupBy.KEY)).containsEntry("k1", new BigDecimal("0.5"))
        .containsEntry("k2", new BigDecimal("0.25"));
    assertThat(groups(CostGroupBy.USER)).containsEntry("alice", new BigDecimal("0.5"))
        .containsEntry("bob", new BigDecimal("0.25"));
    assertThat(groups(CostGroupBy.TEAM)).containsEntry("ml", new BigDecimal("0.5"))
        .containsEntry(null, new BigDecimal("0.25"));
  }

  @Test
  void costs_byDayAndPrompt_nameUtcDaysAndVersions() {
    assertThat(groups(CostGroupBy.DAY)).containsOnlyKeys("2025-03-01", "2025-03-02");
    assertThat(groups(CostGroupBy.PROMPT)).containsOnlyKeys("greet v3");
    assertThat(groups(CostGroupBy.PROMPT_DAY)).containsOnlyKeys("greet v3 2025-03-01",
        "greet v3 2025-03-02");
  }

  @Test
  void costs_outsideTheRange_areLeftOut() {
    assertThat(store.reports().costs(p, CostGroupBy.MODEL, DAY2, TO))
        .extracting(CostRow::group).containsExactly("claude");
  }

  @Test
  void health_countsTheGatewaysErrorsAndReadsTheNearestRankP95_ingestedLeftOut() {
    CallHealth h = store.reports().health(FROM, TO);

    assertThat(h.calls()).isEqualTo(5);
    CallHealth mine = store.reports().health(DAY1, DAY1.plusSeconds(1));
    assertThat(mine).isEqualTo(new CallHealth(4, 1, 400));
    assertThat(mine.errorRate()).isEqualTo(0.25);
  }

  private Map<String, BigDecimal> groups(CostGroupBy by) {
    var out = new java.util.HashMap<String, BigDecimal>();
    store.reports().costs(p, by, FROM, TO).forEach(
        r -> out.merge(r.group(), r.costUsd().stripTrailingZeros(), BigDecimal::add));
    out.replaceAll((k, v) -> v.stripTrailingZeros());
    return out;
  }

  private static CostRow row(List<CostRow> rows, String group) {
    return rows.stream().filter(r -> group.equals(r.group())).findFirst().orElseThrow();
  }

  private Observation gen(String id, String trace, String model, Instant start, String cost,
      String metadata, Level level, long cached, long millis) {
    Usage usage = new Usage(cached == 0 ? Map.of(Usage.INPUT, 100L, Usage.OUTPUT, 10L)
        : Map.of(Usage.INPUT, 100L, Usage.INPUT_CACHED, cached, Usage.OUTPUT, 10L), false);
    Cost c = cost == null ? null : new Cost(Map.of(Cost.TOTAL, new BigDecimal(cost)));
    return new Observation(id + "-" + UUID.randomUUID(), trace, p, null,
        ObservationType.GENERATION, "llm", start, start.plus(Duration.ofMillis(millis)), null,
        model, null, null, null, metadata, level, null, usage, c, "greet", 3, null);
  }
}
