package dev.keel.gateway.limits;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import dev.keel.core.cost.Cost;
import dev.keel.core.error.ErrorCode;
import dev.keel.core.error.KeelException;
import dev.keel.core.error.LimitExceededException;
import dev.keel.gateway.auth.Principal;
import dev.keel.gateway.config.BudgetSettings;
import dev.keel.gateway.config.KeelConfig;
import dev.keel.gateway.routing.Deployment;
import dev.keel.store.BudgetRecord;
import dev.keel.store.BudgetStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keel's {@link Admission}: key model scope, budgets and rate limits, checked before any
 * provider is called; plus the budget operations the API and CLI use.
 *
 * <p>A request first takes a slot in every rate limit that applies (key, deployment), then
 * reserves its estimated cost on every budget that applies (key, key and model, user, team,
 * project), all or nothing. A budget admits while {@code spent + reserved < limit}, one rule
 * for every scope. Settling releases the reservation and adds the billed cost, so concurrent
 * requests overshoot a limit by at most what was in flight. Counters live in Redis when one is
 * configured (shared by every instance) and in process otherwise (per instance); settled spend
 * is also written to the store, off the request path, so it survives restarts.
 */
public final class CostControl implements Admission, AutoCloseable {

  /** Budget 429s say when to retry only when the wait is at most this long. */
  static final Duration MAX_RETRY_AFTER = Duration.ofDays(1);
  /** While Redis is unreachable, how often it is asked whether it is back. */
  static final long REDIS_PROBE_MILLIS = 1_000;
  private static final Logger log = LoggerFactory.getLogger(CostControl.class);

  private final BudgetStore store;
  private final Counters counters;
  private final boolean shared;
  private final RateLimits rates;
  private final SpendFlusher flusher;
  private final BudgetAlerts alerts;
  private final ZoneId zone;
  private final Clock clock;
  private final LoadingCache<String, List<Budget>> budgets;

  CostControl(BudgetStore store, Counters counters, boolean shared, KeelConfig config,
      Clock clock) {
    BudgetSettings s = config.budgets();
    this.store = store;
    this.counters = counters;
    this.shared = shared;
    this.rates = new RateLimits(config.rateLimits());
    this.flusher = new SpendFlusher(store, clock, Duration.ofMillis(s.flushMillis()));
    this.alerts = new BudgetAlerts(store, s.alertWebhookUrl(), clock);
    this.zone = s.zone();
    this.clock = clock;
    this.budgets = Caffeine.newBuilder()
        .refreshAfterWrite(Duration.ofSeconds(s.refreshSeconds()))
        .build(project -> store.list(project).stream().map(Budget::of).toList());
  }

  /**
   * Starts cost control over {@code store}: counters in Redis when {@code KEEL_REDIS_URL} (or
   * keel.yaml's {@code redis_url}) names one, keys prefixed with {@code KEEL_REDIS_PREFIX}
   * (default {@code keel:}); in process otherwise.
   */
  public static CostControl start(BudgetStore store, KeelConfig config, Map<String, String> env,
      Clock clock) {
    String url = env.getOrDefault("KEEL_REDIS_URL", config.redisUrl());
    if (url == null || url.isBlank()) {
      return new CostControl(store, new LocalCounters(store::spent), false, config, clock);
    }
    String prefix = env.getOrDefault("KEEL_REDIS_PREFIX", "keel:");
    var counters = new FailoverCounters(() -> new RedisCounters(url.strip(), prefix,
        store::spent, clock), store::spent, REDIS_PROBE_MILLIS);
    return new CostControl(store, counters, true, config, clock);
  }

  /** Whether limits are shared through Redis (else they hold per instance). */
  public boolean shared() {
    return shared;
  }

  /** Whether counting is in Redis now: false without Redis and while it is unreachable. */
  public boolean redisUp() {
    return counters instanceof FailoverCounters f && f.redisUp();
  }

  /** Times Redis became unreachable and limits fell back to this instance, since start. */
  public long redisFailovers() {
    return counters instanceof FailoverCounters f ? f.failovers() : 0;
  }

  @Override
  public Ticket admit(Principal p, String requestedModel, Deployment d,
      Supplier<Cost> estimate) {
    if (!p.settings().allows(requestedModel, d.label())) {
      throw new KeelException(ErrorCode.FORBIDDEN, "key '" + keyName(p) + "' may not use model '"
          + requestedModel + "'; its models are: " + String.join(", ", p.settings().models()),
          "model", null);
    }
    Instant now = clock.instant();
    List<Counters.RateSlot> rateSlots = rates.slots(p, requestedModel, d);
    Map<String, String> headers = Map.of();
    if (!rateSlots.isEmpty()) {
      Counters.RateVerdict v = counters.take(rateSlots, RateLimits.window(now));
      if (v.full() >= 0) {
        throw RateLimits.exceeded(rateSlots, v, now);
      }
      headers = RateLimits.headers(rateSlots, v, now);
    }
    List<Budget> applicable = applicable(p, requestedModel, d);
    if (applicable.isEmpty()) {
      return new CostTicket(this, List.of(), List.of(), 0, rateSlots, headers);
    }
    List<Counters.BudgetSlot> slots = applicable.stream().map(b -> b.slot(now, zone)).toList();
    Cost e = estimate.get();
    long est = e == null ? 0 : Cost.toPicoDollars(e.total());
    Counters.Verdict v = counters.reserve(slots, est);
    if (v.full() >= 0) {
      throw overBudget(applicable.get(v.full()), slots.get(v.full()), v, now);
    }
    return new CostTicket(this, applicable, slots, est, rateSlots, headers);
  }

  /** Creates or replaces the budget for the request's scope, subject and model. */
  public BudgetView setBudget(String projectId, BudgetRequest r) {
    Instant now = clock.instant();
    var rec = new BudgetRecord(UUID.randomUUID().toString(), projectId, r.scope(), r.subject(),
        r.model(), Cost.toPicoDollars(r.limitUsd()), r.period(), now, r.softLimits(), now, now);
    BudgetRecord saved = store.save(rec);
    budgets.invalidate(projectId);
    return view(Budget.of(saved));
  }

  /** The project's budgets with their current spend. */
  public List<BudgetView> budgets(String projectId) {
    return store.list(projectId).stream().map(r -> view(Budget.of(r))).toList();
  }

  public Optional<BudgetView> budget(String id) {
    return store.find(id).map(r -> view(Budget.of(r)));
  }

  /** Deletes a budget and its spend; false when there was none. */
  public boolean deleteBudget(String id) {
    Optional<BudgetRecord> r = store.find(id);
    boolean done = store.delete(id);
    r.ifPresent(b -> budgets.invalidate(b.projectId()));
    return done;
  }

  /** Writes pending spend to the store and sends pending alerts now (tests and stop use it). */
  public void flush() {
    flusher.flush();
    alerts.drain();
  }

  @Override
  public void close() {
    try {
      flusher.close();
    } catch (RuntimeException e) {
      log.warn("could not write the last budget spend at stop: {}", e.getMessage());
    }
    alerts.close();
    counters.close();
  }

  void settle(CostTicket t, Cost actual, long tokens) {
    long pico = actual == null ? 0 : Cost.toPicoDollars(actual.total());
    if (!t.slots().isEmpty()) {
      counters.settle(t.slots(), t.estimate(), pico);
      flusher.add(t.slots(), pico);
      for (int i = 0; i < t.budgets().size(); i++) {
        Budget b = t.budgets().get(i);
        if (!b.record().softLimits().isEmpty() && pico > 0) {
          alerts.spent(b, t.slots().get(i), counters.read(t.slots().get(i))[0]);
        }
      }
    }
    if (tokens > 0 && !t.rateSlots().isEmpty()) {
      counters.addTokens(t.rateSlots(), RateLimits.window(clock.instant()), tokens);
    }
  }

  private List<Budget> applicable(Principal p, String model, Deployment d) {
    List<Budget> all = budgets.get(p.projectId());
    if (all.isEmpty()) {
      return all;
    }
    var out = new ArrayList<Budget>(4);
    for (Budget b : all) {
      BudgetRecord r = b.record();
      boolean modelMatches = r.model().isEmpty() || r.model().equals(model)
          || r.model().equals(d.label());
      if (modelMatches && r.subject().equals(subjectFor(r.scope(), p))) {
        out.add(b);
      }
    }
    return out;
  }

  private static String subjectFor(String scope, Principal p) {
    return switch (scope) {
      case "key" -> p.subject();
      case "user" -> p.settings().user();
      case "team" -> p.settings().team();
      default -> p.projectId();
    };
  }

  private LimitExceededException overBudget(Budget b, Counters.BudgetSlot slot,
      Counters.Verdict v, Instant now) {
    alerts.limitReached(b, slot, v.spent());
    String resets = b.period().isTotal() ? "it does not reset"
        : "it resets at " + slot.periodEnd() + " (" + zone.getId() + ")";
    String inFlight = v.reserved() > 0 ? " (plus " + Budget.money(v.reserved())
        + " reserved by requests in flight)" : "";
    Duration wait = Duration.between(now, slot.periodEnd());
    Long retryAfter = b.period().isTotal() || wait.compareTo(MAX_RETRY_AFTER) > 0 ? null
        : Math.max(1, (wait.toMillis() + 999) / 1000);
    return new LimitExceededException(ErrorCode.BUDGET_EXCEEDED, "budget exceeded: "
        + b.describe() + ": spent " + Budget.money(v.spent()) + inFlight + " of limit "
        + Budget.money(slot.limitPico()) + "; " + resets, retryAfter,
        Map.of("x-keel-budget-id", b.id()));
  }

  private BudgetView view(Budget b) {
    Instant now = clock.instant();
    Counters.BudgetSlot slot = b.slot(now, zone);
    long[] c = counters.read(slot);
    BudgetRecord r = b.record();
    return new BudgetView(r.id(), r.scope(), r.subject(), r.model(), Budget.usd(r.limitPico()),
        r.period(), r.softLimits(), slot.periodStart(),
        b.period().isTotal() ? null : slot.periodEnd(), Budget.usd(c[0]), Budget.usd(c[1]),
        Budget.usd(Math.max(0, r.limitPico() - c[0] - c[1])));
  }

  private static String keyName(Principal p) {
    return p.settings().name() != null ? p.settings().name() : p.subject();
  }
}
