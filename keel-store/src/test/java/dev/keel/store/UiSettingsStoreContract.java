package dev.keel.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** UI sessions, settings and run-time prices (migration V10); each dialect's IT extends it. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class UiSettingsStoreContract {

  private static final Instant T0 = Instant.parse("2025-03-01T00:00:00Z");

  private Store store;

  protected abstract Store openStore() throws Exception;

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
  void session_createdThenFound_untilItExpiresOrIsDeleted() {
    UiSessionRecord s = session("a", "ann", T0, Duration.ofHours(8));

    store.uiSessions().create(s);

    assertThat(store.uiSessions().find(s.tokenHash(), T0.plusSeconds(60))).contains(s);
    assertThat(store.uiSessions().find(s.tokenHash(), T0.plus(Duration.ofHours(8)))).isEmpty();
    assertThat(store.uiSessions().delete(s.tokenHash())).isTrue();
    assertThat(store.uiSessions().find(s.tokenHash(), T0)).isEmpty();
    assertThat(store.uiSessions().delete(s.tokenHash())).isFalse();
  }

  @Test
  void session_create_sweepsExpiredOnes() {
    UiSessionRecord old = session("b", null, T0, Duration.ofMinutes(1));
    store.uiSessions().create(old);

    store.uiSessions().create(session("c", null, T0.plusSeconds(120), Duration.ofHours(1)));

    assertThat(store.uiSessions().find(old.tokenHash(), T0)).isEmpty();
  }

  @Test
  void session_deleteOf_endsEveryOneOfThatAccount() {
    UiSessionRecord one = session("d", "bob", T0, Duration.ofHours(1));
    UiSessionRecord two = session("e", "bob", T0, Duration.ofHours(1));
    UiSessionRecord master = session("f", null, T0, Duration.ofHours(1));
    store.uiSessions().create(one);
    store.uiSessions().create(two);
    store.uiSessions().create(master);

    int ended = store.uiSessions().deleteOf("bob");

    assertThat(ended).isEqualTo(2);
    assertThat(store.uiSessions().find(one.tokenHash(), T0)).isEmpty();
    assertThat(store.uiSessions().find(master.tokenHash(), T0)).contains(master);
  }

  @Test
  void setting_putTwice_keepsTheLastValue() {
    assertThat(store.settings().get("retention.days")).isEmpty();

    store.settings().put("retention.days", "30", "admin", T0);
    store.settings().put("retention.days", "7", "master key", T0.plusSeconds(1));

    assertThat(store.settings().get("retention.days")).contains("7");
  }

  @Test
  void price_putReplaceDelete_keepsExactDecimals() {
    var p = new PriceOverride("acme/tiny", "openai", new BigDecimal("0.000001"),
        new BigDecimal("12.345678901234"), null, null, T0, "admin");
    store.settings().putPrice(p);
    var q = new PriceOverride("acme/tiny", "openai", new BigDecimal("2"), null,
        new BigDecimal("0.5"), null, T0.plusSeconds(5), "ann");
    store.settings().putPrice(new PriceOverride("zeta", "anthropic", null, BigDecimal.ONE, null,
        BigDecimal.TEN, T0, null));

    assertThat(store.settings().prices()).first().isEqualTo(p);
    store.settings().putPrice(q);

    assertThat(store.settings().prices()).extracting(PriceOverride::model)
        .containsExactly("acme/tiny", "zeta");
    assertThat(store.settings().prices().get(0)).isEqualTo(q);
    assertThat(store.settings().deletePrice("zeta")).isTrue();
    assertThat(store.settings().deletePrice("zeta")).isFalse();
    assertThat(store.settings().prices()).containsExactly(q);
  }

  @Test
  void priceOverride_withoutRatesOrNegative_isRefusedNamingIt() {
    assertThatThrownBy(() -> new PriceOverride("m", "openai", null, null, null, null, T0, null))
        .hasMessageContaining("at least one rate");
    assertThatThrownBy(() -> new PriceOverride("m", "openai", new BigDecimal("-1"), null, null,
        null, T0, null)).hasMessage("input price must not be negative: -1");
  }

  private static UiSessionRecord session(String seed, String user, Instant at, Duration ttl) {
    return new UiSessionRecord(seed.repeat(64), user, user == null ? "master key" : user,
        "admin", at, at.plus(ttl));
  }
}
