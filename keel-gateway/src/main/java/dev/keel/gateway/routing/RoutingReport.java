package dev.keel.gateway.routing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keel.store.ModelScore;
import dev.keel.store.RoutedCalls;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What cost_aware routes did over a time range: requests per tier and model, what they cost
 * against what the route's strong model would have cost for the same usage, and the quality
 * measured per model with the traffic-weighted quality that follows from where requests went.
 *
 * <p>The strong model's cost of an answer is its price for that answer's usage (the gateway
 * records the difference as {@code routing_saving_usd}); answers at an unknown price are counted
 * but left out of both costs. Quality is the route's quality bar metric as last read by
 * {@link RouteQuality}; a model without scores adds nothing to the expected quality, and the
 * report gives the share of requests that the expected quality covers.
 */
final class RoutingReport {

  static final ObjectMapper JSON = new ObjectMapper()
      .enable(SerializationFeature.WRITE_BIGDECIMAL_AS_PLAIN);

  private RoutingReport() {}

  static ObjectNode render(List<RoutePlanner.CostAwareRoute> routes,
      Map<String, RouteQuality.View> views, List<RoutedCalls> rows, Instant from, Instant to) {
    ObjectNode root = JSON.createObjectNode().put("fromTimestamp", from.toString())
        .put("toTimestamp", to.toString());
    ArrayNode out = root.putArray("routes");
    for (RoutePlanner.CostAwareRoute r : routes) {
      List<RoutedCalls> mine = rows.stream().filter(c -> c.route().equals(r.name())).toList();
      out.add(route(r, views.get(r.name()), mine));
    }
    return root;
  }

  private static ObjectNode route(RoutePlanner.CostAwareRoute r, RouteQuality.View view,
      List<RoutedCalls> rows) {
    ObjectNode n = JSON.createObjectNode().put("route", r.name())
        .put("strongModel", r.strong().upstreamModel());
    n.putArray("deployments").addAll(r.byPrice().stream()
        .map(d -> JSON.getNodeFactory().textNode(d.upstreamModel())).toList());
    n.put("basis", view == null ? "features only" : view.basis());
    if (view != null && view.bar() != null) {
      n.putObject("qualityBar").put("metric", view.bar().metric())
          .put("minScore", view.bar().minScore()).put("minScores", view.bar().minScores())
          .put("windowDays", view.bar().windowDays())
          .put("refreshedAt", view.refreshedAt() == null ? null : view.refreshedAt().toString());
    }
    ArrayNode tiers = n.putArray("tiers");
    Map<String, Sum> byModel = new LinkedHashMap<>();
    Sum total = new Sum();
    for (RoutedCalls c : rows) {
      Sum s = new Sum().add(c);
      tiers.add(s.json(JSON.createObjectNode().put("tier", c.tier()).put("model", c.model())));
      byModel.computeIfAbsent(c.model(), k -> new Sum()).add(c);
      total.add(c);
    }
    total.json(n.putObject("totals"));
    ArrayNode models = n.putArray("models");
    double weighted = 0;
    long measuredRequests = 0;
    for (var e : byModel.entrySet()) {
      ObjectNode m = e.getValue().json(JSON.createObjectNode().put("model", e.getKey()));
      RouteQuality.Measured q = view == null ? null : view.measured().get(e.getKey());
      if (q != null) {
        m.set("quality", quality(q));
        weighted += q.mean() * e.getValue().answered;
        measuredRequests += e.getValue().answered;
      }
      models.add(m);
    }
    n.set("quality", summary(r, view, weighted, measuredRequests, total.answered));
    return n;
  }

  private static ObjectNode summary(RoutePlanner.CostAwareRoute r, RouteQuality.View view,
      double weighted, long measuredRequests, long answered) {
    ObjectNode q = JSON.createObjectNode();
    if (view == null || view.bar() == null) {
      return q.put("metric", (String) null).put("note", "no quality bar configured: set "
          + "cost_aware.quality.metric to measure quality per model");
    }
    q.put("metric", view.bar().metric());
    RouteQuality.Measured strong = view.measured().get(r.strong().upstreamModel());
    q.put("strongModelQuality", strong == null ? null : round(strong.mean()));
    q.put("expectedQuality", measuredRequests == 0 ? null : round(weighted / measuredRequests));
    q.put("measuredRequestShare", answered == 0 ? null
        : round((double) measuredRequests / answered));
    String note = strong == null ? "the strong model has no " + view.bar().metric()
        + " scores, so there is nothing to compare with" : "expected quality is each model's "
        + "measured mean weighted by the requests it answered";
    if (measuredRequests < answered) {
      note += "; requests answered by models without scores are left out of it";
    }
    return q.put("note", note);
  }

  private static ObjectNode quality(RouteQuality.Measured q) {
    ObjectNode n = JSON.createObjectNode().put("mean", round(q.mean())).put("scores", q.scores())
        .put("enough", q.enough());
    ArrayNode sources = n.putArray("sources");
    for (ModelScore s : q.sources()) {
      sources.addObject().put("run", s.run()).put("dataset", s.dataset())
          .put("kind", s.kind()).put("scores", s.scores())
          .put("mean", round(s.mean())).put("latest", s.latest().toString());
    }
    return n;
  }

  private static double round(double v) {
    return BigDecimal.valueOf(v).setScale(4, RoundingMode.HALF_EVEN).doubleValue();
  }

  /** Sums of routed calls. */
  private static final class Sum {
    long calls;
    long errors;
    long answered;
    long unknownCost;
    BigDecimal cost = BigDecimal.ZERO;
    BigDecimal saving = BigDecimal.ZERO;

    Sum add(RoutedCalls c) {
      calls += c.calls();
      errors += c.errors();
      answered += c.calls() - c.errors();
      unknownCost += c.unknownCost();
      cost = cost.add(c.costUsd());
      saving = saving.add(c.savingUsd());
      return this;
    }

    ObjectNode json(ObjectNode n) {
      BigDecimal strong = cost.add(saving);
      n.put("requests", answered).put("errors", errors)
          .put("unknownCostRequests", unknownCost)
          .put("costUsd", cost.stripTrailingZeros())
          .put("strongModelCostUsd", strong.stripTrailingZeros())
          .put("savingUsd", saving.stripTrailingZeros());
      n.put("savingPercent", strong.signum() == 0 ? null : saving.multiply(BigDecimal.valueOf(
          100)).divide(strong, 2, RoundingMode.HALF_EVEN));
      return n;
    }
  }
}
