package dev.keel.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The behaviour every budget store must have; each dialect's IT extends it. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class BudgetStoreContract {

  private static final Instant T0 = Instant.parse("2025-03-01T00:00:00Z");
  private static final Instant T1 = Instant.parse("2025-03-02T00:00:00Z");

  private Store store;
  private BudgetStore budgets;
  private final String p = "p-" + UUID.randomUUID();

  /** Opens a fresh, empty store for this test class. */
  protected abstract Store openStore() throws Exception;

  /** Removes what {@link #openStore()} created. */
  protected void dropStore() throws Exception {
  }

  @BeforeAll
  void open() throws Exception {
    store = openStore();
    budgets = store.budgets();
  }

  @AfterAll
  void close() throws Exception {
    store.close();
    dropStore();
  }

  @Test
  void save_new_isFoundWithEveryField() {
    BudgetRecord b = budget("team", "ml", "", 5_000_000_000_000L, "monthly",
        List.of(new BigDecimal("0.5"), new BigDecimal("0.8")));

    BudgetRecord saved = budgets.save(b);

    assertThat(saved).isEqualTo(b);
    assertThat(budgets.find(b.id())).contains(b);
    assertThat(budgets.list(p)).contains(b);
  }

  @Test
  void save_sameSubjectAgain_replacesLimitAndKeepsIdAndSpend() {
    BudgetRecord first = budgets.save(budget("key", "k-1", "gpt-4o", 100, "daily", List.of()));
    budgets.addSpend(List.of(new SpendDelta(first.id(), T0, 40)), T0);

    BudgetRecord second = budgets.save(new BudgetRecord(UUID.randomUUID().toString(), p, "key",
        "k-1", "gpt-4o", 300, "weekly", T1, List.of(new BigDecimal("0.9")), T1, T1));

    assertThat(second.id()).isEqualTo(first.id());
    assertThat(second.limitPico()).isEqualTo(300);
    assertThat(second.period()).isEqualTo("weekly");
    assertThat(second.softLimits()).containsExactly(new BigDecimal("0.9"));
    assertThat(budgets.spent(first.id(), T0)).isEqualTo(40);
  }

  @Test
  void addSpend_concurrentFlushes_loseNothing() throws Exception {
    BudgetRecord b = budgets.save(budget("project", "proj", "", 1_000, "total", List.of()));
    ExecutorService pool = Executors.newFixedThreadPool(8);
    List<Future<?>> done = new ArrayList<>();

    for (int i = 0; i < 40; i++) {
      done.add(pool.submit(() -> budgets.addSpend(
          List.of(new SpendDelta(b.id(), T0, 7), new SpendDelta(b.id(), T1, 1)), T0)));
    }
    for (Future<?> f : done) {
      f.get();
    }
    pool.shutdown();

    assertThat(budgets.spent(b.id(), T0)).isEqualTo(280);
    assertThat(budgets.spent(b.id(), T1)).isEqualTo(40);
  }

  @Test
  void spent_periodWithoutRow_isZeroAndHistoryIsNewestFirst() {
    BudgetRecord b = budgets.save(budget("user", "ann", "", 1_000, "daily", List.of()));
    budgets.addSpend(List.of(new SpendDelta(b.id(), T0, 5)), T0);
    budgets.addSpend(List.of(new SpendDelta(b.id(), T1, 9)), T1);

    List<BudgetSpend> history = budgets.history(b.id(), 10);

    assertThat(budgets.spent(b.id(), T1.plusSeconds(86_400))).isZero();
    assertThat(history).extracting(BudgetSpend::periodStart).containsExactly(T1, T0);
    assertThat(history).extracting(BudgetSpend::spentPico).containsExactly(9L, 5L);
  }

  @Test
  void markAlerted_sameThresholdTwice_onlyFirstWinsAndNewPeriodStartsClear() {
    BudgetRecord b = budgets.save(budget("key", "k-alert", "", 1_000, "daily",
        List.of(new BigDecimal("0.5"), new BigDecimal("0.8"))));

    boolean first = budgets.markAlerted(b.id(), T0, 0, T0);
    boolean again = budgets.markAlerted(b.id(), T0, 0, T0);
    boolean other = budgets.markAlerted(b.id(), T0, 1, T0);
    boolean nextPeriod = budgets.markAlerted(b.id(), T1, 0, T1);

    assertThat(first).isTrue();
    assertThat(again).isFalse();
    assertThat(other).isTrue();
    assertThat(nextPeriod).isTrue();
    assertThat(budgets.history(b.id(), 5)).extracting(BudgetSpend::alertedMask)
        .containsExactly(1, 3);
  }

  @Test
  void markAlerted_concurrent_exactlyOneWinner() throws Exception {
    BudgetRecord b = budgets.save(budget("key", "k-race", "", 1_000, "daily",
        List.of(new BigDecimal("0.5"))));
    ExecutorService pool = Executors.newFixedThreadPool(8);
    List<Future<Boolean>> results = new ArrayList<>();

    for (int i = 0; i < 16; i++) {
      results.add(pool.submit(() -> budgets.markAlerted(b.id(), T0, 0, T0)));
    }
    int winners = 0;
    for (Future<Boolean> f : results) {
      winners += f.get() ? 1 : 0;
    }
    pool.shutdown();

    assertThat(winners).isEqualTo(1);
  }

  @Test
  void delete_removesBudgetAndSpend() {
    BudgetRecord b = budgets.save(budget("team", "gone", "", 10, "daily", List.of()));
    budgets.addSpend(List.of(new SpendDelta(b.id(), T0, 3)), T0);

    boolean deleted = budgets.delete(b.id());

    assertThat(deleted).isTrue();
    assertThat(budgets.find(b.id())).isEmpty();
    assertThat(budgets.spent(b.id(), T0)).isZero();
    assertThat(budgets.delete(b.id())).isFalse();
  }

  @Test
  void record_badValues_rejectedWithTheValue() {
    assertThatThrownBy(() -> budget("org", "x", "", 1, "daily", List.of()))
        .hasMessage("scope must be key, user, team or project: org");
    assertThatThrownBy(() -> budget("key", "x", "", -3, "daily", List.of()))
        .hasMessage("limitPico must not be negative: -3");
    assertThatThrownBy(() -> budget("key", "x", "", 1, "daily", List.of(BigDecimal.ONE)))
        .hasMessage("softLimits must be above 0 and below 1: 1");
  }

  private BudgetRecord budget(String scope, String subject, String model, long limit,
      String period, List<BigDecimal> soft) {
    return new BudgetRecord(UUID.randomUUID().toString(), p, scope, subject, model, limit,
        period, T0, soft, T0, T0);
  }
}
