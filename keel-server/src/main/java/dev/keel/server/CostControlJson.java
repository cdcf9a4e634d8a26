package dev.keel.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keel.gateway.auth.KeyInfo;
import dev.keel.gateway.auth.KeySettings;
import dev.keel.gateway.limits.BudgetRequest;
import dev.keel.gateway.limits.BudgetView;
import dev.keel.store.BudgetRecord;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** JSON of the keys and budgets APIs: snake_case fields, USD as exact decimals. */
final class CostControlJson {

  private CostControlJson() {}

  static ObjectNode key(KeyInfo k, Instant now) {
    KeySettings s = k.settings();
    ObjectNode n = KeelApi.JSON.createObjectNode().put("id", k.id()).put("kind", k.kind())
        .put("key_hint", k.hint()).put("name", s.name()).put("user", s.user())
        .put("team", s.team()).put("status", k.status(now));
    ArrayNode models = n.putArray("models");
    s.models().forEach(models::add);
    n.set("metadata", KeelApi.JSON.valueToTree(s.metadata()));
    putLong(n, "rpm", s.rpm());
    putLong(n, "tpm", s.tpm());
    n.put("created_at", k.createdAt().toString());
    n.put("expires_at", k.expiresAt() == null ? null : k.expiresAt().toString());
    n.put("revoked_at", k.revokedAt() == null ? null : k.revokedAt().toString());
    return n;
  }

  /** Settings from a create request; unknown fields are refused so typos do not pass. */
  static KeySettings settings(ObjectNode b) {
    List<String> models = new ArrayList<>();
    JsonNode m = b.get("models");
    if (m != null && !m.isNull()) {
      if (!m.isArray()) {
        throw new IllegalArgumentException("models must be an array of model names");
      }
      m.forEach(v -> models.add(v.asText()));
    }
    JsonNode md = b.get("metadata");
    if (md != null && !md.isNull() && !md.isObject()) {
      throw new IllegalArgumentException("metadata must be a JSON object");
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> metadata = md == null || md.isNull() ? null
        : KeelApi.JSON.convertValue(md, Map.class);
    return new KeySettings(text(b, "name"), text(b, "user"), text(b, "team"), models, metadata,
        longOrNull(b, "rpm"), longOrNull(b, "tpm"));
  }

  static BudgetRequest budget(JsonNode b, String scope, String subject, String model) {
    if (b == null || !b.isObject()) {
      throw new IllegalArgumentException("a budget must be a JSON object with limit_usd");
    }
    JsonNode limit = b.get("limit_usd");
    if (limit == null || !limit.isNumber() && !limit.isTextual()) {
      throw new IllegalArgumentException("limit_usd is required: a number of US dollars");
    }
    BigDecimal usd;
    try {
      usd = new BigDecimal(limit.asText());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("limit_usd must be a number: " + limit.asText());
    }
    return new BudgetRequest(scope, subject, model, usd, text(b, "period"), softLimits(b));
  }

  /**
   * A budget's soft limits, checked here as the API names them (the store's own check would
   * name them softLimits).
   */
  private static List<BigDecimal> softLimits(JsonNode b) {
    List<BigDecimal> soft = new ArrayList<>();
    JsonNode s = b.get("soft_limits");
    if (s == null || s.isNull()) {
      return soft;
    }
    if (!s.isArray()) {
      throw new IllegalArgumentException("soft_limits must be an array such as [0.5, 0.8]: " + s);
    }
    if (s.size() > BudgetRecord.MAX_SOFT_LIMITS) {
      throw new IllegalArgumentException("soft_limits must have at most "
          + BudgetRecord.MAX_SOFT_LIMITS + " entries: " + s.size());
    }
    for (JsonNode v : s) {
      if (!v.isNumber() || v.decimalValue().signum() <= 0
          || v.decimalValue().compareTo(BigDecimal.ONE) >= 0) {
        throw new IllegalArgumentException("soft_limits must be numbers above 0 and below 1, "
            + "fractions of limit_usd: " + v);
      }
      soft.add(v.decimalValue());
    }
    return soft;
  }

  static ObjectNode budget(BudgetView v) {
    ObjectNode n = KeelApi.JSON.createObjectNode().put("id", v.id()).put("scope", v.scope())
        .put("subject", v.subject()).put("model", v.model().isEmpty() ? null : v.model())
        .put("limit_usd", v.limitUsd()).put("period", v.period());
    ArrayNode soft = n.putArray("soft_limits");
    v.softLimits().forEach(soft::add);
    n.put("period_start", v.periodStart().toString());
    n.put("resets_at", v.resetsAt() == null ? null : v.resetsAt().toString());
    n.put("spent_usd", v.spentUsd()).put("reserved_usd", v.reservedUsd())
        .put("remaining_usd", v.remainingUsd());
    return n;
  }

  static ObjectNode list(List<ObjectNode> items) {
    ObjectNode root = KeelApi.JSON.createObjectNode();
    root.putArray("data").addAll(items);
    return root;
  }

  static String text(JsonNode b, String field) {
    JsonNode v = b.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isTextual()) {
      throw new IllegalArgumentException(field + " must be a string");
    }
    return v.asText();
  }

  private static Long longOrNull(JsonNode b, String field) {
    JsonNode v = b.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.canConvertToLong() || !v.isIntegralNumber()) {
      throw new IllegalArgumentException(field + " must be a whole number: " + v);
    }
    return v.asLong();
  }

  private static void putLong(ObjectNode n, String field, Long v) {
    if (v == null) {
      n.putNull(field);
    } else {
      n.put(field, v);
    }
  }
}
