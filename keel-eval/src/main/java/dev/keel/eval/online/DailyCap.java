package dev.keel.eval.online;

import dev.keel.store.OnlineEvalStore;
import java.math.BigDecimal;
import java.time.LocalDate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One rule's judge spend for the current UTC day against its cap. The day's spend lives in the
 * store (so a restart does not reset it); this keeps a copy, re-read when the day changes.
 *
 * <p>The check comes before each judge call and the cost is known only after it, so with
 * several workers the cap can be passed by the calls already in flight (at most one per
 * worker). Calls whose price Keel does not know add nothing; a WARN says so once.
 */
final class DailyCap {

  private static final Logger LOG = LoggerFactory.getLogger(DailyCap.class);

  private final OnlineEvalStore store;
  private final String projectId;
  private final String rule;
  private final Long capPico;
  private final OnlineStats stats;
  private LocalDate day;
  private long spentPico;
  private boolean paused;
  private boolean warnedUnpriced;

  DailyCap(OnlineEvalStore store, String projectId, String rule, BigDecimal capUsd,
      OnlineStats stats) {
    this.store = store;
    this.projectId = projectId;
    this.rule = rule;
    this.capPico = capUsd == null ? null : capUsd.movePointRight(12).longValue();
    this.stats = stats;
  }

  /** True while the day's spend is under the cap; the first refusal of a day is logged. */
  synchronized boolean allows(LocalDate today) {
    if (capPico == null) {
      return true;
    }
    roll(today);
    if (spentPico < capPico) {
      return true;
    }
    if (!paused) {
      paused = true;
      stats.inc(OnlineStats.CAP_REACHED, "rule", rule);
      LOG.warn("online eval rule {} reached its daily judge cost cap (max_daily_cost_usd {}, "
          + "spent {} USD on {}); it judges nothing more until the next UTC day", rule,
          BigDecimal.valueOf(capPico).movePointLeft(12).stripTrailingZeros().toPlainString(),
          usd(spentPico), today);
    }
    return false;
  }

  /** Adds a judge call's cost (null when its price is unknown). */
  synchronized void add(LocalDate today, BigDecimal usd) {
    if (usd == null) {
      if (!warnedUnpriced) {
        warnedUnpriced = true;
        LOG.warn("online eval rule {}: the judge model has no known price, so its calls do not"
            + " count towards max_daily_cost_usd; add a price for it in keel.yaml", rule);
      }
      return;
    }
    roll(today);
    spentPico = store.addSpend(projectId, rule, today, usd.movePointRight(12).longValue());
    stats.spend(rule, usd);
  }

  private void roll(LocalDate today) {
    if (!today.equals(day)) {
      day = today;
      spentPico = store.spend(projectId, rule, today);
      paused = false;
    }
  }

  private static String usd(long pico) {
    return BigDecimal.valueOf(pico).movePointLeft(12).stripTrailingZeros().toPlainString();
  }
}
