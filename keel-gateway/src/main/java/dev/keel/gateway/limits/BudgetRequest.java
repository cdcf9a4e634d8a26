package dev.keel.gateway.limits;

import dev.keel.store.BudgetRecord;
import java.math.BigDecimal;
import java.util.List;

/**
 * A budget to set, as the API and CLI give it.
 *
 * @param scope "key", "user", "team" or "project"
 * @param subject the key id ({@code master} for the master key), user, team or project id
 * @param model one model the budget is for, or null for every model
 * @param limitUsd the hard limit in USD (0 blocks every request)
 * @param period daily, weekly, monthly, total or a duration such as 6h or 30d
 * @param softLimits fractions of the limit that raise an alert once per period, such as 0.5
 */
public record BudgetRequest(String scope, String subject, String model, BigDecimal limitUsd,
    String period, List<BigDecimal> softLimits) {

  /** The largest limit Keel can count to exactly (pico-dollars in a long). */
  public static final BigDecimal MAX_LIMIT_USD = new BigDecimal("9000000");

  public BudgetRequest {
    if (scope == null || !BudgetRecord.SCOPES.contains(scope)) {
      throw new IllegalArgumentException("scope must be key, user, team or project: " + scope);
    }
    if (subject == null || subject.isBlank()) {
      throw new IllegalArgumentException("subject must name the " + scope + ": " + subject);
    }
    model = model == null || model.isBlank() ? "" : model.strip();
    if (limitUsd == null || limitUsd.signum() < 0) {
      throw new IllegalArgumentException("limit_usd must be zero or more: " + limitUsd);
    }
    // Spend is kept in pico-dollars in a 64-bit number: about 9.2 million USD at most.
    if (limitUsd.compareTo(MAX_LIMIT_USD) > 0) {
      throw new IllegalArgumentException("limit_usd must be at most "
          + MAX_LIMIT_USD.toPlainString() + ": " + limitUsd.toPlainString());
    }
    if (limitUsd.scale() > 12 && limitUsd.stripTrailingZeros().scale() > 12) {
      throw new IllegalArgumentException("limit_usd has more than 12 decimals: " + limitUsd);
    }
    period = Period.parse(period == null ? "monthly" : period).text();
    softLimits = softLimits == null ? List.of() : List.copyOf(softLimits);
  }
}
