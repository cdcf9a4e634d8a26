package dev.keel.gateway.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keel.core.cost.Cost;
import dev.keel.core.error.ErrorCode;
import dev.keel.core.error.KeelException;
import dev.keel.core.error.LimitExceededException;
import dev.keel.gateway.auth.KeySettings;
import dev.keel.gateway.auth.Principal;
import dev.keel.gateway.config.KeelConfig;
import dev.keel.gateway.routing.Deployment;
import dev.keel.providers.Endpoint;
import dev.keel.providers.WireFormat;
import dev.keel.store.Store;
import dev.keel.store.StoreConfig;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Budgets and rate limits through {@link CostControl}, on each kind of counters. */
abstract class CostControlContract {

  static final Instant T0 = Instant.parse("2025-03-10T12:00:00Z");
  static final Deployment MINI = deployment("gpt-4o-mini");
  static final Deployment FLASH = deployment("gemini-2.5-flash-lite");

  @TempDir
  Path dir;
  Store store;
  MutableClock clock;
  private final List<CostControl> opened = new ArrayList<>();

  /** The environment that picks the counters under test. */
  abstract Map<String, String> env();

  @BeforeEach
  void open() {
    store = Store.open(StoreConfig.sqlite(dir.resolve("data")));
    clock = new MutableClock(T0);
  }

  @AfterEach
  void close() {
    opened.forEach(CostControl::close);
    store.close();
  }

  CostControl control(String yaml) {
    try {
      Path f = Files.writeString(dir.resolve("keel-" + opened.size() + ".yaml"), yaml);
      CostControl c = CostControl.start(store.budgets(), KeelConfig.load(f), env(), clock);
      opened.add(c);
      return c;
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void admit_spentReachesLimit_nextRequestRefusedBeforeTheCallNamingBudget() {
    CostControl cc = control("budgets: {time_zone: UTC}\n");
    Principal key = virtual("k1", "ci-bot", null, null);
    cc.setBudget("default", budget("key", "k1", null, "0.001", "daily"));

    cc.admit(key, "gpt-4o-mini", MINI, usd("0.0004")).settle(cost("0.0006"));
    cc.admit(key, "gpt-4o-mini", MINI, usd("0.0004")).settle(cost("0.0004"));

    assertThatThrownBy(() -> cc.admit(key, "gpt-4o-mini", MINI, usd("0.0001")))
        .isInstanceOfSatisfying(LimitExceededException.class, e -> {
          assertThat(e.code()).isEqualTo(ErrorCode.BUDGET_EXCEEDED);
          assertThat(e.getMessage()).isEqualTo("budget exceeded: key 'k1' daily budget: spent"
              + " $0.001 of limit $0.001; it resets at 2025-03-11T00:00:00Z (UTC)");
          assertThat(e.retryAfterSeconds()).isEqualTo(12 * 3600L);
        });
  }

  @Test
  void admit_manyConcurrentRequests_spendNeverPassesLimitByMoreThanInFlight() throws Exception {
    CostControl cc = control("budgets: {time_zone: UTC}\n");
    Principal key = virtual("k-race", null, null, null);
    cc.setBudget("default", budget("key", "k-race", null, "0.01", "total"));
    int threads = 16;
    long estimate = Cost.toPicoDollars(new BigDecimal("0.0003"));
    AtomicInteger admitted = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<?>> done = new ArrayList<>();

    for (int t = 0; t < threads; t++) {
      done.add(pool.submit(() -> {
        go.await();
        while (true) {
          Admission.Ticket ticket;
          try {
            ticket = cc.admit(key, "gpt-4o-mini", MINI, usd("0.0003"));
          } catch (LimitExceededException e) {
            return null;
          }
          admitted.incrementAndGet();
          Thread.sleep(1);
          ticket.settle(cost("0.00025"));
        }
      }));
    }
    go.countDown();
    for (Future<?> f : done) {
      f.get();
    }
    pool.shutdown();
    BudgetView v = cc.budgets("default").get(0);

    long spent = Cost.toPicoDollars(v.spentUsd());
    long limit = Cost.toPicoDollars(new BigDecimal("0.01"));
    assertThat(v.reservedUsd()).isZero();
    assertThat(spent).isEqualTo(admitted.get() * Cost.toPicoDollars(new BigDecimal("0.00025")));
    assertThat(spent).isGreaterThanOrEqualTo(limit);
    assertThat(spent).isLessThan(limit + threads * estimate);
  }

  @Test
  void admit_dailyBudgetInParis_resetsAtParisMidnightNeverEarly() {
    CostControl cc = control("budgets: {time_zone: Europe/Paris}\n");
    Principal key = virtual("k-day", null, null, null);
    cc.setBudget("default", budget("key", "k-day", null, "0.001", "daily"));
    clock.set(Instant.parse("2025-03-10T22:00:00Z"));
    cc.admit(key, "gpt-4o-mini", MINI, usd("0")).settle(cost("0.001"));

    clock.set(Instant.parse("2025-03-10T22:59:59.999Z"));
    assertThatThrownBy(() -> cc.admit(key, "gpt-4o-mini", MINI, usd("0")))
        .hasMessageContaining("resets at 2025-03-10T23:00:00Z (Europe/Paris)");
    clock.set(Instant.parse("2025-03-10T23:00:00Z"));
    Admission.Ticket next = cc.admit(key, "gpt-4o-mini", MINI, usd("0"));

    assertThat(next).isNotNull();
    assertThat(cc.budgets("default").get(0).spentUsd()).isZero();
  }

  @Test
  void admit_modelBudgetWithinKey_enforcedFromTheSecondRequest() {
    // LiteLLM #31842: a per-model budget of $0.00001 let all ten $0.0001768 requests through.
    CostControl cc = control("budgets: {time_zone: UTC}\n");
    Principal key = virtual("k-model", null, null, null);
    cc.setBudget("default", budget("key", "k-model", "gemini-2.5-flash-lite", "0.00001",
        "daily"));
    int ok = 0;
    int refused = 0;

    for (int i = 0; i < 10; i++) {
      try {
        cc.admit(key, "gemini-2.5-flash-lite", FLASH, usd("0.0001768"))
            .settle(cost("0.0001768"));
        ok++;
      } catch (LimitExceededException e) {
        refused++;
        assertThat(e.getMessage()).startsWith("budget exceeded: key 'k-model' daily budget for"
            + " model gemini-2.5-flash-lite: spent $0.0001768 of limit $0.00001");
      }
    }

    assertThat(ok).isEqualTo(1);
    assertThat(refused).isEqualTo(9);
    cc.admit(key, "gpt-4o-mini", MINI, usd("0.0001")).settle(cost("0.0001"));
  }

  @Test
  void admit_keyWithoutOwnBudget_onlyItsOwnTeamsBudgetApplies() {
    // LiteLLM #22726: a key with no budget was refused by a budget that was not its own.
    CostControl cc = control("budgets: {time_zone: UTC}\n");
    cc.setBudget("default", budget("team", "ml", null, "0.001", "monthly"));
    Principal inTeam = virtual("k-ml", null, "ml", null);
    Principal otherTeam = virtual("k-web", null, "web", null);
    Principal noTeam = virtual("k-solo", null, null, null);
    cc.admit(inTeam, "gpt-4o-mini", MINI, usd("0")).settle(cost("0.002"));

    cc.admit(otherTeam, "gpt-4o-mini", MINI, usd("0")).settle(cost("0.5"));
    cc.admit(noTeam, "gpt-4o-mini", MINI, usd("0")).settle(cost("0.5"));

    assertThatThrownBy(() -> cc.admit(inTeam, "gpt-4o-mini", MINI, usd("0")))
        .isInstanceOfSatisfying(LimitExceededException.class, e -> {
          assertThat(e.getMessage()).startsWith("budget exceeded: team 'ml' monthly budget:"
              + " spent $0.002 of limit $0.001");
          assertThat(e.retryAfterSeconds()).isNull();
        });
  }

  @Test
  void admit_userAndProjectBudgets_applyToEveryKeyOfTheUserAndProject() {
    CostControl cc = control("budgets: {time_zone: UTC}\n");
    cc.setBudget("default", budget("user", "ann", null, "0.001", "weekly"));
    cc.setBudget("default", budget("project", "default", null, "0.01", "monthly"));
    Principal annA = virtual("k-a", null, null, "ann");
    Principal annB = virtual("k-b", null, null, "ann");
    Principal bob = virtual("k-c", null, null, "bob");
    cc.admit(annA, "gpt-4o-mini", MINI, usd("0")).settle(cost("0.001"));

    assertThatThrownBy(() -> cc.admit(annB, "gpt-4o-mini", MINI, usd("0")))
        .hasMessageStartingWith("budget exceeded: user 'ann' weekly budget");
    cc.admit(bob, "gpt-4o-mini", MINI, usd("0")).settle(cost("0.009"));
    assertThatThrownBy(() -> cc.admit(bob, "gpt-4o-mini", MINI, usd("0")))
        .hasMessageStartingWith("budget exceeded: project 'default' monthly budget");
  }

  @Test
  void admit_budgetOnMasterKey_appliesToTheMasterKey() {
    CostControl cc = control("budgets: {time_zone: UTC}\n");
    cc.setBudget("default", budget("key", "master", null, "0.001", "daily"));
    Principal master = new Principal(Principal.Kind.MASTER, "default", null);
    cc.admit(master, "gpt-4o-mini", MINI, usd("0")).settle(cost("0.001"));

    assertThatThrownBy(() -> cc.admit(master, "gpt-4o-mini", MINI, usd("0")))
        .hasMessageStartingWith("budget exceeded: key 'master' daily budget");
  }

  @Test
  void admit_modelOutsideKeyScope_forbiddenNamingModelAndKeyModels() {
    CostControl cc = control("budgets: {time_zone: UTC}\n");
    Principal key = new Principal(Principal.Kind.VIRTUAL, "default", "k-scope",
        new KeySettings("reader", null, null, List.of("gpt-4o-mini", "claude-3-5-haiku"),
            null, null, null));

    assertThatThrownBy(() -> cc.admit(key, "gemini-2.5-flash-lite", FLASH, usd("0")))
        .isInstanceOfSatisfying(KeelException.class, e -> {
          assertThat(e.code()).isEqualTo(ErrorCode.FORBIDDEN);
          assertThat(e.getMessage()).isEqualTo("key 'reader' may not use model"
              + " 'gemini-2.5-flash-lite'; its models are: gpt-4o-mini, claude-3-5-haiku");
        });
    assertThat(cc.admit(key, "gpt-4o-mini", MINI, usd("0"))).isNotNull();
  }

  @Test
  void admit_rpmLimit_thirdRequestRefusedUntilNextMinuteWithHeaders() {
    CostControl cc = control("budgets: {time_zone: UTC}\n");
    clock.set(Instant.parse("2025-03-10T12:00:15Z"));
    Principal key = new Principal(Principal.Kind.VIRTUAL, "default", "k-rpm",
        new KeySettings(null, null, null, null, null, 2L, null));

    Admission.Ticket first = cc.admit(key, "gpt-4o-mini", MINI, usd("0"));
    Admission.Ticket second = cc.admit(key, "gpt-4o-mini", MINI, usd("0"));

    assertThat(first.headers()).containsEntry("x-ratelimit-limit-requests", "2")
        .containsEntry("x-ratelimit-remaining-requests", "1")
        .containsEntry("x-ratelimit-reset-requests", "45s");
    assertThat(second.headers()).containsEntry("x-ratelimit-remaining-requests", "0");
    assertThatThrownBy(() -> cc.admit(key, "gpt-4o-mini", MINI, usd("0")))
        .isInstanceOfSatisfying(LimitExceededException.class, e -> {
          assertThat(e.code()).isEqualTo(ErrorCode.RATE_LIMITED);
          assertThat(e.retryAfterSeconds()).isEqualTo(45L);
          assertThat(e.getMessage()).isEqualTo("rate limit reached: key k-rpm allows 2"
              + " requests per minute; retry in 45 s");
          assertThat(e.headers()).containsEntry("x-ratelimit-remaining-requests", "0");
        });
    clock.set(Instant.parse("2025-03-10T12:01:00Z"));
    assertThat(cc.admit(key, "gpt-4o-mini", MINI, usd("0")).headers())
        .containsEntry("x-ratelimit-remaining-requests", "1");
  }

  @Test
  void admit_tpmLimit_refusedOnceSettledTokensReachIt() {
    CostControl cc = control("budgets: {time_zone: UTC}\n");
    Principal key = new Principal(Principal.Kind.VIRTUAL, "default", "k-tpm",
        new KeySettings(null, null, null, null, null, null, 100L));
    cc.admit(key, "gpt-4o-mini", MINI, usd("0")).settle(cost("0"), 60);
    Admission.Ticket second = cc.admit(key, "gpt-4o-mini", MINI, usd("0"));

    second.settle(cost("0"), 40);

    assertThat(second.headers()).containsEntry("x-ratelimit-limit-tokens", "100")
        .containsEntry("x-ratelimit-remaining-tokens", "40");
    assertThatThrownBy(() -> cc.admit(key, "gpt-4o-mini", MINI, usd("0")))
        .hasMessageStartingWith("rate limit reached: key k-tpm allows 100 tokens per minute");
  }

  @Test
  void admit_deploymentLimitFromConfig_sharedByEveryKey() {
    CostControl cc = control("rate_limits:\n  deployments:\n    gpt-4o-mini: {rpm: 1}\n");
    cc.admit(virtual("k-x", null, null, null), "gpt-4o-mini", MINI, usd("0"));

    assertThatThrownBy(() -> cc.admit(virtual("k-y", null, null, null), "gpt-4o-mini", MINI,
        usd("0"))).hasMessageStartingWith("rate limit reached: deployment openai/gpt-4o-mini"
            + " allows 1 requests per minute");
    assertThat(cc.admit(virtual("k-y", null, null, null), "gemini-2.5-flash-lite", FLASH,
        usd("0"))).isNotNull();
  }

  @Test
  void settle_spendIsFlushedToTheStore_andARestartedInstanceKeepsIt() {
    CostControl first = control("budgets: {time_zone: UTC}\n");
    Principal key = virtual("k-restart", null, null, null);
    BudgetView b = first.setBudget("default", budget("key", "k-restart", null, "0.001",
        "monthly"));
    first.admit(key, "gpt-4o-mini", MINI, usd("0")).settle(cost("0.0007"));
    first.flush();

    long stored = store.budgets().spent(b.id(), b.periodStart());

    assertThat(stored).isEqualTo(Cost.toPicoDollars(new BigDecimal("0.0007")));
  }

  @Test
  void setBudget_badInput_namesTheField() {
    assertThatThrownBy(() -> budget("org", "x", null, "1", "daily"))
        .hasMessage("scope must be key, user, team or project: org");
    assertThatThrownBy(() -> budget("key", "x", null, "-1", "daily"))
        .hasMessage("limit_usd must be zero or more: -1");
    assertThatThrownBy(() -> budget("key", "x", null, "1", "yearly"))
        .hasMessageStartingWith("period must be daily, weekly, monthly, total");
  }

  static BudgetRequest budget(String scope, String subject, String model, String limit,
      String period) {
    return new BudgetRequest(scope, subject, model, new BigDecimal(limit), period, null);
  }

  static Principal virtual(String id, String name, String team, String user) {
    return new Principal(Principal.Kind.VIRTUAL, "default", id,
        new KeySettings(name, user, team, null, null, null, null));
  }

  static java.util.function.Supplier<Cost> usd(String v) {
    return () -> cost(v);
  }

  static Cost cost(String v) {
    return new Cost(Map.of(Cost.TOTAL, new BigDecimal(v)));
  }

  static Deployment deployment(String model) {
    return new Deployment(new Endpoint("openai", WireFormat.OPENAI,
        URI.create("http://127.0.0.1:9"), null, Duration.ofSeconds(1), null), model, true);
  }
}
