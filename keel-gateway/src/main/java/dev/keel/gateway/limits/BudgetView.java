package dev.keel.gateway.limits;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/**
 * A budget and where it stands in its current period.
 *
 * @param model "" when the budget covers every model
 * @param spentUsd settled spend this period
 * @param reservedUsd estimates of requests in flight (on this instance without Redis)
 * @param resetsAt when the next period starts (null for a total budget)
 */
public record BudgetView(String id, String scope, String subject, String model,
    BigDecimal limitUsd, String period, List<BigDecimal> softLimits, Instant periodStart,
    Instant resetsAt, BigDecimal spentUsd, BigDecimal reservedUsd, BigDecimal remainingUsd) {}
