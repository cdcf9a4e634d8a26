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

/**
 * Scores per model and routed calls for quality-aware routing, and shared alert states; each
 * dialect's IT extends it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class RoutingStoreContract {

  private static final Instant T = Instant.parse("2025-03-01T10:00:00Z");
  private static final String EASY = "{\"routing_route\":\"smart\",\"routing_tier\":\"easy\"";

  private Store store;
  private final String p = Fixtures.newProject();

  protected abstract Store openStore() throws Exception;

  protected void dropStore() throws Exception {
  }

  @BeforeAll
  void open() throws Exception {
    store = openStore();
    store.traces().write(List.of(trace("e1", "{\"eval_run\":\"run-a\"}"),
        trace("e2", "{\"eval_run\":\"run-a\"}"), trace("o1", null), trace("a1", null),
        trace("eval-run-run-a", "{\"eval_run_info\":{\"run\":\"run-a\",\"dataset\":"
            + "\"qa.jsonl\"}}"), trace("r", null)), List.of(
        // e1: the cheap model answered, then answered again (a repair): one score, not two.
        gen("e1", "gpt-4o-mini", null, null, Level.DEFAULT),
        gen("e1", "gpt-4o-mini", null, null, Level.DEFAULT),
        // e2: the cheap model failed and the strong one answered: the score is the strong one's.
        gen("e2", "gpt-4o-mini", null, null, Level.ERROR),
        gen("e2", "gpt-4o", null, null, Level.DEFAULT),
        gen("o1", "gpt-4o-mini", null, null, Level.DEFAULT),
        gen("a1", "gpt-4o-mini", null, null, Level.DEFAULT),
        gen("r", "gpt-4o-mini", "0.25", EASY + ",\"routing_saving_usd\":\"0.75\"}",
            Level.DEFAULT),
        gen("r", "gpt-4o-mini", "0.25", EASY + ",\"routing_saving_usd\":\"0.75\"}",
            Level.DEFAULT),
        gen("r", "gpt-4o-mini", null, EASY + "}", Level.ERROR),
        gen("r", "gpt-4o", "1", "{\"routing_route\":\"smart\",\"routing_tier\":\"hard\"}",
            Level.DEFAULT),
        gen("r", "gpt-4o", "1", "{\"client_format\":\"openai\"}", Level.DEFAULT)));
    store.scores().write(List.of(score("e1", "exact_match", 1.0, T),
        score("e2", "exact_match", 0.0, T), online("o1", "exact_match", 0.5, T),
        // Posted through the API with no source: its own kind, not online evaluation's.
        new Score(UUID.randomUUID().toString(), p, "a1", null, null, null, "exact_match", 0.25,
            null, Score.DataType.NUMERIC, Score.Source.API, null, null, null, null, null, T),
        score("e1", "rouge_l", 0.3, T), score("o1", "exact_match", 0.0, T.minusSeconds(86_400))));
  }

  @AfterAll
  void close() throws Exception {
    store.close();
    dropStore();
  }

  @Test
  void modelScores_perModelThatAnsweredAndPerRun_namesTheRunsDataset() {
    List<ModelScore> rows = store.routing().modelScores("exact_match", T.minusSeconds(60));

    assertThat(rows).extracting(ModelScore::model, ModelScore::run, ModelScore::dataset,
        ModelScore::scores, ModelScore::mean, ModelScore::kind).containsExactlyInAnyOrder(
            tuple("gpt-4o-mini", "run-a", "qa.jsonl", 1L, 1.0, "eval_run"),
            tuple("gpt-4o", "run-a", "qa.jsonl", 1L, 0.0, "eval_run"),
            tuple("gpt-4o-mini", null, null, 1L, 0.5, "online"),
            tuple("gpt-4o-mini", null, null, 1L, 0.25, "api"));
    assertThat(rows.get(0).latest()).isEqualTo(T);
  }

  @Test
  void modelScores_unknownMetric_isEmpty() {
    assertThat(store.routing().modelScores("no_such_metric", T.minusSeconds(60))).isEmpty();
  }

  @Test
  void routedCalls_perRouteTierAndModel_sumsCostErrorsAndSavingsExactly() {
    List<RoutedCalls> rows = store.routing().routedCalls(p, T.minusSeconds(60),
        T.plusSeconds(60));

    assertThat(rows).extracting(RoutedCalls::route, RoutedCalls::tier, RoutedCalls::model,
        RoutedCalls::calls, RoutedCalls::errors, RoutedCalls::unknownCost)
        .containsExactlyInAnyOrder(tuple("smart", "easy", "gpt-4o-mini", 3L, 1L, 0L),
            tuple("smart", "hard", "gpt-4o", 1L, 0L, 0L));
    RoutedCalls easy = rows.stream().filter(r -> r.tier().equals("easy")).findFirst()
        .orElseThrow();
    assertThat(easy.costUsd()).isEqualByComparingTo("0.5");
    assertThat(easy.savingUsd()).isEqualByComparingTo("1.5");
    assertThat(store.routing().routedCalls("other-project", T.minusSeconds(60),
        T.plusSeconds(60))).isEmpty();
  }

  @Test
  void alertTransition_onlyTheFirstOfTwoSameMovesWins_andAMoveBackWaitsForTheHold() {
    String alert = "alert.test." + UUID.randomUUID();
    AlertStore a = store.alerts();

    boolean first = a.transition(alert, "resolved", "firing", T, T);
    boolean second = a.transition(alert, "resolved", "firing", T, T);
    boolean tooSoon = a.transition(alert, "firing", "resolved", T.plusSeconds(1),
        T.minusSeconds(1));
    boolean back = a.transition(alert, "firing", "resolved", T.plusSeconds(2),
        T.plusSeconds(1));

    assertThat(first).isTrue();
    assertThat(second).isFalse();
    assertThat(tooSoon).isFalse();
    assertThat(back).isTrue();
    assertThat(a.state(alert)).contains("resolved");
    assertThat(a.state("alert.never." + UUID.randomUUID())).isEmpty();
  }

  private Trace trace(String id, String metadata) {
    return new Trace(id, p, "chat", T, null, null, null, null, metadata, List.of(), null, null,
        null, false);
  }

  private Observation gen(String trace, String model, String cost, String metadata,
      Level level) {
    Usage usage = new Usage(Map.of(Usage.INPUT, 100L, Usage.OUTPUT, 10L), false);
    Cost c = cost == null ? null : new Cost(Map.of(Cost.TOTAL, new BigDecimal(cost)));
    return new Observation(UUID.randomUUID().toString(), trace, p, null,
        ObservationType.GENERATION, "llm", T, T.plus(Duration.ofMillis(100)), null, model, null,
        null, null, metadata, level, null, usage, c, null, null, null);
  }

  /** As online evaluation writes it: source EVAL, the rule in the metadata. */
  private Score online(String trace, String name, double value, Instant at) {
    return new Score(UUID.randomUUID().toString(), p, trace, null, null, null, name, value, null,
        Score.DataType.NUMERIC, Score.Source.EVAL, null, "{\"online_eval_rule\":\"r1\"}",
        null, null, null, at);
  }

  private Score score(String trace, String name, double value, Instant at) {
    return new Score(UUID.randomUUID().toString(), p, trace, null, null, null, name, value, null,
        Score.DataType.NUMERIC, Score.Source.EVAL, null, null, null, null, null, at);
  }
}
