package dev.keel.server;

import dev.keel.core.error.KeelException;
import dev.keel.gateway.auth.KeyInfo;
import dev.keel.gateway.auth.Principal;
import dev.keel.gateway.limits.BudgetRequest;
import dev.keel.gateway.routing.ModelRouter;
import java.time.Clock;
import java.util.Optional;

/**
 * Refuses a budget that could never apply, before it is stored: a key budget on a key that does
 * not exist or can no longer be used, a project budget on another project, a budget for a model
 * the gateway would refuse. Such a budget used to be accepted and then silently never counted.
 *
 * <p>A model is checked the way a request's model is routed, so where the gateway passes any name
 * on (an OpenAI-compatible upstream with no declared models) any name is accepted here too.
 */
final class BudgetTargets {

  private final ServerContext ctx;
  private final ModelRouter router;
  private final Clock clock;

  BudgetTargets(ServerContext ctx) {
    this.ctx = ctx;
    this.router = ctx.router();
    this.clock = ctx.clock();
  }

  /** Throws an {@link IllegalArgumentException} naming the field when {@code r} cannot apply. */
  void check(String projectId, BudgetRequest r) {
    switch (r.scope()) {
      case "key" -> checkKey(r.subject());
      case "project" -> {
        if (!r.subject().equals(projectId)) {
          throw new IllegalArgumentException("subject of a project budget must be the project, "
              + projectId + ": " + r.subject());
        }
      }
      default -> { }
    }
    checkModel("model", r.model());
  }

  /** Only the model, given as {@code field}: for the budgets of a key being created. */
  void checkModel(String field, String model) {
    if (model == null || model.isEmpty()) {
      return;
    }
    try {
      router.resolve(model);
    } catch (KeelException e) {
      throw new IllegalArgumentException(field + " must name a model the gateway serves, or "
          + "the budget could never apply: " + model + " (" + e.getMessage() + ")");
    }
  }

  private void checkKey(String subject) {
    if (Principal.MASTER_SUBJECT.equals(subject)) {
      return;
    }
    Optional<KeyInfo> key = ctx.keys().findKey(subject).filter(k -> "virtual".equals(k.kind()));
    if (key.isEmpty()) {
      throw new IllegalArgumentException("subject of a key budget must be a virtual key's id "
          + "(see GET /api/keel/keys) or " + Principal.MASTER_SUBJECT + ": " + subject);
    }
    String status = key.get().status(clock.instant());
    if (!"active".equals(status)) {
      throw new IllegalArgumentException("subject names a key that is " + status
          + ", so the budget could never apply: " + subject);
    }
  }
}
