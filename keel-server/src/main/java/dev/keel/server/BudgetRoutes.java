package dev.keel.server;

import dev.keel.gateway.auth.KeyService;
import dev.keel.gateway.limits.BudgetView;
import dev.keel.gateway.limits.CostControl;
import io.helidon.webserver.http.HttpRouting;

/**
 * Budgets over HTTP (master key only): {@code PUT /api/keel/budgets} sets one (by scope,
 * subject and model, replacing an existing one), {@code GET} lists them or shows one with its
 * current spend, and {@code DELETE /api/keel/budgets/{id}} removes one.
 */
final class BudgetRoutes {

  private static final String PATH = "/api/keel/budgets";

  private final KeyService keys;
  private final CostControl costs;
  private final BudgetTargets targets;
  private final long maxBody;

  BudgetRoutes(ServerContext ctx) {
    this.keys = ctx.keys();
    this.costs = ctx.costControl();
    this.targets = new BudgetTargets(ctx);
    this.maxBody = ctx.config().limits().maxBodyBytes();
  }

  void register(HttpRouting.Builder r) {
    r.put(PATH, (req, res) -> KeelApi.handle(req, res, keys, p -> {
      var b = KeelApi.body(req, maxBody);
      var request = CostControlJson.budget(b, CostControlJson.text(b, "scope"),
          CostControlJson.text(b, "subject"), CostControlJson.text(b, "model"));
      targets.check(p.projectId(), request);
      return KeelApi.Answer.ok(CostControlJson.budget(costs.setBudget(p.projectId(),
          request)));
    }));
    r.get(PATH, (req, res) -> KeelApi.handle(req, res, keys, p -> KeelApi.Answer.ok(
        CostControlJson.list(costs.budgets(p.projectId()).stream()
            .map(CostControlJson::budget).toList()))));
    r.get(PATH + "/{id}", (req, res) -> KeelApi.handle(req, res, keys, p ->
        KeelApi.Answer.ok(CostControlJson.budget(find(req.path().pathParameters().get("id"))))));
    r.delete(PATH + "/{id}", (req, res) -> KeelApi.handle(req, res, keys, p -> {
      String id = req.path().pathParameters().get("id");
      if (!costs.deleteBudget(id)) {
        throw KeelApi.notFound("no budget with id " + id);
      }
      return KeelApi.Answer.ok(KeelApi.JSON.createObjectNode().put("deleted", id));
    }));
  }

  private BudgetView find(String id) {
    return costs.budget(id).orElseThrow(() -> KeelApi.notFound("no budget with id " + id));
  }
}
