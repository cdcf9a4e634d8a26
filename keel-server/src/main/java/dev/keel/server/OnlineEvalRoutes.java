package dev.keel.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keel.eval.online.OnlineRules;
import dev.keel.gateway.auth.KeyService;
import dev.keel.store.OnlineEvalStore;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;

/**
 * Online evaluation rules over HTTP (master key only): {@code GET /api/keel/online-eval/rules}
 * lists them with today's judge spend, {@code POST} creates one, {@code GET}, {@code PUT} and
 * {@code DELETE .../rules/{name}} read, replace and remove one, {@code POST
 * .../rules/{name}/disable} and {@code /enable} switch one (enabling also resumes judging paused
 * after judge failures), and {@code GET
 * /api/keel/online-eval/results?rule&traceId&limit} shows outcomes, failures with their reason.
 */
final class OnlineEvalRoutes {

  private static final String PATH = "/api/keel/online-eval";
  private static final int MAX_RESULTS = 1000;

  private final KeyService keys;
  private final OnlineRules rules;
  private final long maxBody;

  OnlineEvalRoutes(ServerContext ctx) {
    this.keys = ctx.keys();
    this.rules = ctx.onlineRules();
    this.maxBody = ctx.config().limits().maxBodyBytes();
  }

  void register(HttpRouting.Builder r) {
    r.get(PATH + "/rules", (req, res) -> KeelApi.handle(req, res, keys, p -> {
      ObjectNode out = KeelApi.JSON.createObjectNode();
      var data = out.putArray("data");
      rules.list().forEach(v -> data.add(json(v)));
      return KeelApi.Answer.ok(out);
    }));
    r.post(PATH + "/rules", (req, res) -> KeelApi.handle(req, res, keys, p ->
        new KeelApi.Answer(Status.CREATED_201, json(rules.create(KeelApi.body(req, maxBody))))));
    r.get(PATH + "/rules/{name}", (req, res) -> KeelApi.handle(req, res, keys, p ->
        KeelApi.Answer.ok(json(rules.get(name(req)).orElseThrow(() -> missing(req))))));
    r.put(PATH + "/rules/{name}", (req, res) -> KeelApi.handle(req, res, keys, p ->
        KeelApi.Answer.ok(json(rules.update(name(req), KeelApi.body(req, maxBody))
            .orElseThrow(() -> missing(req))))));
    r.delete(PATH + "/rules/{name}", (req, res) -> KeelApi.handle(req, res, keys, p -> {
      if (!rules.delete(name(req))) {
        throw missing(req);
      }
      return KeelApi.Answer.ok(KeelApi.JSON.createObjectNode().put("deleted", name(req)));
    }));
    r.post(PATH + "/rules/{name}/disable", (req, res) -> KeelApi.handle(req, res, keys, p ->
        KeelApi.Answer.ok(json(rules.setEnabled(name(req), false)
            .orElseThrow(() -> missing(req))))));
    r.post(PATH + "/rules/{name}/enable", (req, res) -> KeelApi.handle(req, res, keys, p ->
        KeelApi.Answer.ok(json(rules.setEnabled(name(req), true)
            .orElseThrow(() -> missing(req))))));
    r.get(PATH + "/results", (req, res) -> KeelApi.handle(req, res, keys, p -> {
      var q = req.query();
      int limit = limit(q.first("limit").orElse(null));
      ObjectNode out = KeelApi.JSON.createObjectNode();
      var data = out.putArray("data");
      rules.results(q.first("rule").orElse(null), q.first("traceId").orElse(null), limit)
          .forEach(x -> data.add(json(x)));
      return KeelApi.Answer.ok(out);
    }));
  }

  private static String name(ServerRequest req) {
    return req.path().pathParameters().get("name");
  }

  private static RuntimeException missing(ServerRequest req) {
    return KeelApi.notFound("no online eval rule named " + name(req));
  }

  private static int limit(String v) {
    if (v == null) {
      return 100;
    }
    try {
      int n = Integer.parseInt(v);
      if (n >= 1 && n <= MAX_RESULTS) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException("limit must be an integer from 1 to " + MAX_RESULTS
        + ": " + v);
  }

  private static ObjectNode json(OnlineRules.View v) {
    ObjectNode n = v.rule().toJson();
    n.put("source", v.source());
    n.put("created_at", v.createdAt().toString());
    n.put("updated_at", v.updatedAt().toString());
    n.put("spent_today_usd", v.spentTodayUsd());
    n.put("paused", v.pauseReason() != null);
    n.put("pause_reason", v.pauseReason());
    n.put("judge_failures", v.judge().consecutiveFailures());
    n.put("last_judge_error", v.judge().lastError());
    n.put("judge_retry_at", v.judge().retryAt() == null ? null
        : v.judge().retryAt().toString());
    return n;
  }

  private static ObjectNode json(OnlineEvalStore.Result r) {
    ObjectNode n = KeelApi.JSON.createObjectNode().put("rule", r.rule())
        .put("trace_id", r.traceId()).put("score", r.scorer()).put("status", r.status());
    if (r.value() != null) {
      n.put("value", r.value());
    } else {
      n.putNull("value");
    }
    n.put("reason", r.reason()).put("score_id", r.scoreId())
        .put("judge_cost_usd", new java.math.BigDecimal(java.math.BigDecimal.valueOf(
            r.judgeCostPico()).movePointLeft(12).stripTrailingZeros().toPlainString()))
        .put("created_at", r.createdAt().toString());
    return n;
  }
}
