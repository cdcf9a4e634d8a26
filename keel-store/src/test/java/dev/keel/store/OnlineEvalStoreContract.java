package dev.keel.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The behaviour every online evaluation store must have; each dialect's IT extends it. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class OnlineEvalStoreContract {

  private static final Instant T0 = Instant.parse("2026-03-01T00:00:00Z");
  private static final Instant T1 = Instant.parse("2026-03-01T00:05:00Z");
  private static final String P = "default";

  private Store store;

  /** Opens a fresh, empty store for this test class. */
  protected abstract Store openStore() throws Exception;

  /** Removes what {@link #openStore()} created. */
  protected abstract void dropStore() throws Exception;

  @BeforeAll
  void open() throws Exception {
    store = openStore();
  }

  @AfterAll
  void close() throws Exception {
    store.close();
    dropStore();
  }

  @Test
  void insertRule_newName_isListed_takenNameRefusedKeepingTheFirst() {
    boolean first = store.onlineEval().insertRule(rule("alpha", "{\"v\":1}", true, "api"));
    boolean second = store.onlineEval().insertRule(rule("alpha", "{\"v\":2}", false, "api"));

    assertThat(first).isTrue();
    assertThat(second).isFalse();
    assertThat(store.onlineEval().rule(P, "alpha")).hasValueSatisfying(r -> {
      assertThat(r.definition()).isEqualTo("{\"v\":1}");
      assertThat(r.enabled()).isTrue();
      assertThat(r.createdAt()).isEqualTo(T0);
    });
  }

  @Test
  void upsertUpdateEnableDelete_changeTheStoredRule() {
    store.onlineEval().upsertRule(rule("beta", "{\"v\":1}", true, "config"));
    store.onlineEval().upsertRule(new OnlineEvalStore.RuleRow(P, "beta", "{\"v\":2}", true,
        "config", T1, T1));
    boolean updated = store.onlineEval().updateRule(P, "beta", "{\"v\":3}", true, "api", T1);
    boolean disabled = store.onlineEval().setEnabled(P, "beta", false, T1);
    boolean missing = store.onlineEval().updateRule(P, "nobody", "{}", true, "api", T1);

    OnlineEvalStore.RuleRow r = store.onlineEval().rule(P, "beta").orElseThrow();
    assertThat(updated).isTrue();
    assertThat(disabled).isTrue();
    assertThat(missing).isFalse();
    assertThat(r.definition()).isEqualTo("{\"v\":3}");
    assertThat(r.enabled()).isFalse();
    assertThat(r.source()).isEqualTo("api");
    assertThat(r.createdAt()).isEqualTo(T0);
    assertThat(r.updatedAt()).isEqualTo(T1);
    assertThat(store.onlineEval().deleteRule(P, "beta")).isTrue();
    assertThat(store.onlineEval().deleteRule(P, "beta")).isFalse();
    assertThat(store.onlineEval().rules(P)).extracting(OnlineEvalStore.RuleRow::name)
        .doesNotContain("beta");
  }

  @Test
  void writeResults_sameRuleTraceScorerReplaces_filtersByRuleAndTrace() {
    store.onlineEval().writeResults(List.of(
        result("r1", "t1", "faithfulness", "undetermined", null, "judge answered HTTP 502"),
        result("r1", "t1", "regex", "scored", 1.0, "match"),
        result("r2", "t2", "regex", "skipped", null, "cap")));
    store.onlineEval().writeResults(List.of(
        result("r1", "t1", "faithfulness", "scored", 0.5, "1 of 2 supported")));

    List<OnlineEvalStore.Result> t1 = store.onlineEval().results(P, null, "t1", 10);
    assertThat(t1).hasSize(2);
    assertThat(t1).filteredOn(r -> r.scorer().equals("faithfulness")).singleElement()
        .satisfies(r -> {
          assertThat(r.status()).isEqualTo("scored");
          assertThat(r.value()).isEqualTo(0.5);
          assertThat(r.judgeCostPico()).isEqualTo(7);
        });
    assertThat(store.onlineEval().results(P, "r2", null, 10)).singleElement()
        .satisfies(r -> assertThat(r.value()).isNull());
    assertThat(store.onlineEval().evaluated(P, "r1", "t1")).isTrue();
    assertThat(store.onlineEval().evaluated(P, "r1", "t2")).isFalse();
  }

  @Test
  void addSpend_addsPerRuleAndDay_exactly() {
    LocalDate d1 = LocalDate.parse("2026-03-01");
    LocalDate d2 = LocalDate.parse("2026-03-02");

    store.onlineEval().addSpend(P, "spender", d1, 1_500_000);
    long total = store.onlineEval().addSpend(P, "spender", d1, 2_500_000);
    store.onlineEval().addSpend(P, "spender", d2, 1);

    assertThat(total).isEqualTo(4_000_000);
    assertThat(store.onlineEval().spend(P, "spender", d1)).isEqualTo(4_000_000);
    assertThat(store.onlineEval().spend(P, "spender", d2)).isEqualTo(1);
    assertThat(store.onlineEval().spend(P, "other", d1)).isZero();
  }

  private static OnlineEvalStore.RuleRow rule(String name, String def, boolean on, String src) {
    return new OnlineEvalStore.RuleRow(P, name, def, on, src, T0, T0);
  }

  private static OnlineEvalStore.Result result(String rule, String trace, String scorer,
      String status, Double value, String reason) {
    return new OnlineEvalStore.Result(P, rule, trace, scorer, status, value, reason,
        value == null ? null : "online-" + trace + scorer, 7, T1);
  }
}
