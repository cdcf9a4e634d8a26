package dev.keel.store;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A stored budget: a spending limit per period on one subject.
 *
 * @param scope "key", "user", "team" or "project"
 * @param subject the key id ({@code master} for the master key), user, team or project id
 * @param model "" for every model, else the one model (as clients name it) the limit is for
 * @param limitPico the hard limit in pico-dollars (1e-12 USD); 0 blocks every request
 * @param period "daily", "weekly", "monthly", "total", or a duration such as "6h" or "30d"
 * @param anchor where duration periods are counted from
 * @param softLimits fractions of the limit (each above 0 and below 1) that raise an alert once
 *     per period
 */
public record BudgetRecord(String id, String projectId, String scope, String subject,
    String model, long limitPico, String period, Instant anchor, List<BigDecimal> softLimits,
    Instant createdAt, Instant updatedAt) {

  /** The scopes a budget can have. */
  public static final Set<String> SCOPES = Set.of("key", "user", "team", "project");
  /** At most this many soft limits, one alert bit each (bit 15 marks the limit reached). */
  public static final int MAX_SOFT_LIMITS = 15;

  public BudgetRecord {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(projectId, "projectId");
    Objects.requireNonNull(anchor, "anchor");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(updatedAt, "updatedAt");
    if (!SCOPES.contains(scope)) {
      throw new IllegalArgumentException("scope must be key, user, team or project: " + scope);
    }
    if (subject == null || subject.isBlank()) {
      throw new IllegalArgumentException("subject must not be blank: " + subject);
    }
    model = model == null ? "" : model;
    if (limitPico < 0) {
      throw new IllegalArgumentException("limitPico must not be negative: " + limitPico);
    }
    if (period == null || period.isBlank()) {
      throw new IllegalArgumentException("period must not be blank: " + period);
    }
    softLimits = softLimits == null ? List.of() : List.copyOf(softLimits);
    if (softLimits.size() > MAX_SOFT_LIMITS) {
      throw new IllegalArgumentException("softLimits must have at most " + MAX_SOFT_LIMITS
          + " entries: " + softLimits.size());
    }
    for (BigDecimal f : softLimits) {
      if (f.signum() <= 0 || f.compareTo(BigDecimal.ONE) >= 0) {
        throw new IllegalArgumentException("softLimits must be above 0 and below 1: " + f);
      }
    }
  }
}
