package dev.keel.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keel.core.trace.QueryTime;
import dev.keel.gateway.auth.CreatedKey;
import dev.keel.gateway.auth.KeyService;
import dev.keel.gateway.limits.BudgetRequest;
import dev.keel.gateway.limits.BudgetView;
import dev.keel.gateway.limits.CostControl;
import dev.keel.gateway.limits.Period;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRouting;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Virtual keys over HTTP (master key only): {@code POST /api/keel/keys} creates one (the secret
 * is in that answer only), {@code GET} lists them or shows one (never the secret), and
 * {@code POST .../rotate} and {@code .../revoke} change one.
 */
final class KeysRoutes {

  private static final String PATH = "/api/keel/keys";
  /** The subject of a new key's budgets until the key has an id. */
  private static final String PENDING = "pending";

  private final KeyService keys;
  private final CostControl costs;
  private final BudgetTargets targets;
  private final Clock clock;
  private final long maxBody;

  KeysRoutes(ServerContext ctx) {
    this.keys = ctx.keys();
    this.costs = ctx.costControl();
    this.targets = new BudgetTargets(ctx);
    this.clock = ctx.clock();
    this.maxBody = ctx.config().limits().maxBodyBytes();
  }

  void register(HttpRouting.Builder r) {
    r.post(PATH, (req, res) -> KeelApi.handle(req, res, keys, p -> create(
        KeelApi.body(req, maxBody))));
    r.get(PATH, (req, res) -> KeelApi.handle(req, res, keys, p -> KeelApi.Answer.ok(
        CostControlJson.list(keys.listKeys().stream()
            .map(k -> CostControlJson.key(k, clock.instant())).toList()))));
    r.get(PATH + "/{id}", (req, res) -> KeelApi.handle(req, res, keys, p -> {
      String id = req.path().pathParameters().get("id");
      return KeelApi.Answer.ok(CostControlJson.key(keys.findKey(id).orElseThrow(
          () -> KeelApi.notFound("no key with id " + id)), clock.instant()));
    }));
    r.post(PATH + "/{id}/rotate", (req, res) -> KeelApi.handle(req, res, keys, p -> {
      String id = req.path().pathParameters().get("id");
      CreatedKey k = keys.rotate(id).orElseThrow(
          () -> KeelApi.notFound("no active virtual key with id " + id));
      return KeelApi.Answer.ok(created(k));
    }));
    r.post(PATH + "/{id}/revoke", (req, res) -> KeelApi.handle(req, res, keys, p -> {
      String id = req.path().pathParameters().get("id");
      if (!keys.revoke(id)) {
        throw KeelApi.notFound("no active virtual key with id " + id);
      }
      return KeelApi.Answer.ok(CostControlJson.key(keys.findKey(id).orElseThrow(),
          clock.instant()));
    }));
  }

  /**
   * Checks the whole request, budgets included, before the key exists; if storing a budget
   * then fails, the key and the budgets already stored are removed, so a refused request leaves
   * nothing behind.
   */
  private KeelApi.Answer create(ObjectNode b) {
    Instant expires = expiry(b);
    var settings = CostControlJson.settings(b);
    List<BudgetRequest> budgets = budgets(b);
    CreatedKey k = keys.createVirtualKey(settings, expires);
    List<BudgetView> stored = new ArrayList<>();
    try {
      for (BudgetRequest r : budgets) {
        stored.add(costs.setBudget(KeyService.DEFAULT_PROJECT, new BudgetRequest(r.scope(),
            k.info().id(), r.model(), r.limitUsd(), r.period(), r.softLimits())));
      }
    } catch (RuntimeException e) {
      stored.forEach(v -> costs.deleteBudget(v.id()));
      keys.deleteVirtualKey(k.info().id());
      throw e;
    }
    ObjectNode out = created(k);
    var list = out.putArray("budgets");
    stored.forEach(v -> list.add(CostControlJson.budget(v)));
    return new KeelApi.Answer(Status.CREATED_201, out);
  }

  /** The key's budget and model budgets, checked; their subject is filled in once it exists. */
  private List<BudgetRequest> budgets(ObjectNode b) {
    var out = new ArrayList<BudgetRequest>();
    if (b.hasNonNull("budget")) {
      out.add(CostControlJson.budget(b.get("budget"), "key", PENDING, null));
    }
    JsonNode modelBudgets = b.get("model_budgets");
    if (modelBudgets != null && !modelBudgets.isNull() && !modelBudgets.isObject()) {
      throw new IllegalArgumentException("model_budgets must map model names to budgets: "
          + modelBudgets);
    }
    if (modelBudgets != null && modelBudgets.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = modelBudgets.fields(); it.hasNext(); ) {
        var e = it.next();
        targets.checkModel("model_budgets", e.getKey());
        out.add(CostControlJson.budget(e.getValue(), "key", PENDING, e.getKey()));
      }
    }
    return out;
  }

  private ObjectNode created(CreatedKey k) {
    ObjectNode out = KeelApi.JSON.createObjectNode().put("key", k.key());
    out.setAll(CostControlJson.key(k.info(), clock.instant()));
    return out;
  }

  /** A key's lifetime; its errors name expires_in (Period's own would name a budget period). */
  private static Duration expiresIn(String in) {
    Period p;
    try {
      p = Period.parse(in);
    } catch (IllegalArgumentException e) {
      p = null;
    }
    if (p == null || p.fixed() == null) {
      throw new IllegalArgumentException("expires_in must be a duration like 30m, 12h or 30d: "
          + in);
    }
    return p.fixed();
  }

  private Instant expiry(ObjectNode b) {
    String at = CostControlJson.text(b, "expires_at");
    String in = CostControlJson.text(b, "expires_in");
    if (at != null && in != null) {
      throw new IllegalArgumentException("give expires_at or expires_in, not both");
    }
    Instant now = clock.instant();
    if (in != null) {
      Instant t = now.plus(expiresIn(in));
      if (!t.isBefore(QueryTime.END)) {
        throw new IllegalArgumentException("expires_in must end before the year 10000: " + in);
      }
      return t;
    }
    return at == null ? null : expiresAt(at, now);
  }

  private static Instant expiresAt(String at, Instant now) {
    Instant t;
    try {
      t = Instant.parse(at);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("expires_at must be an ISO-8601 instant such as "
          + "2030-01-31T00:00:00Z: " + at);
    }
    if (!t.isAfter(now)) {
      throw new IllegalArgumentException("expires_at must be in the future: " + at);
    }
    return QueryTime.inRange("expires_at", t, at);
  }
}
