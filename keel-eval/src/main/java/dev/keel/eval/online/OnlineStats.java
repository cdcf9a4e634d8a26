package dev.keel.eval.online;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * Online evaluation's counters, rendered in Prometheus' text format for {@code /metrics}.
 * Counters are keyed by their label values; judge spend is kept in pico-dollars and shown in
 * USD.
 */
final class OnlineStats {

  static final String SAMPLED = "keel_online_eval_sampled_total";
  static final String SCORED = "keel_online_eval_scored_total";
  static final String FAILED = "keel_online_eval_failed_total";
  static final String SKIPPED = "keel_online_eval_skipped_total";
  static final String CAP_REACHED = "keel_online_eval_cost_cap_reached_total";
  static final String JUDGE_PAUSED = "keel_online_eval_judge_paused_total";
  static final String SPEND = "keel_online_eval_judge_cost_usd_total";

  private static final List<String[]> FAMILIES = List.of(
      new String[] {SAMPLED, "Traces an online evaluation rule sampled and scored, by rule."},
      new String[] {SCORED, "Scores stored by online evaluation, by rule and score."},
      new String[] {FAILED, "Online scores left undetermined (judge failure, missing data),"
          + " by rule and score; no score is stored."},
      new String[] {SKIPPED, "Online evaluations skipped: reason queue_full (the pending"
          + " queue was full), cost_cap (a rule's daily judge cost cap was reached) or"
          + " judge_failing (a rule's judging is paused after judge failures in a row)."},
      new String[] {CAP_REACHED, "Times a rule reached its daily judge cost cap and paused"
          + " until the next UTC day."},
      new String[] {JUDGE_PAUSED, "Times a rule paused its judging because its judge failed"
          + " several calls in a row."});

  private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> spendPico = new ConcurrentHashMap<>();
  private final LongSupplier pending;

  OnlineStats(LongSupplier pending) {
    this.pending = pending;
  }

  /** Adds one to {@code metric} with labels given as name, value pairs. */
  void inc(String metric, String... labels) {
    counts.computeIfAbsent(metric + labels(labels), k -> new LongAdder()).increment();
  }

  void spend(String rule, BigDecimal usd) {
    spendPico.computeIfAbsent(labels("rule", rule), k -> new LongAdder())
        .add(usd.movePointRight(12).longValue());
  }

  long count(String metric, String... labels) {
    LongAdder a = counts.get(metric + labels(labels));
    return a == null ? 0 : a.sum();
  }

  String render() {
    var sb = new StringBuilder(1024);
    for (String[] f : FAMILIES) {
      sb.append("# HELP ").append(f[0]).append(' ').append(f[1]).append('\n')
          .append("# TYPE ").append(f[0]).append(" counter\n");
      var keys = new ArrayList<String>();
      counts.keySet().stream().filter(k -> k.startsWith(f[0] + "{")).sorted()
          .forEach(keys::add);
      keys.forEach(k -> sb.append(k).append(' ').append(counts.get(k).sum()).append('\n'));
    }
    sb.append("# HELP ").append(SPEND).append(" Judge spend of online evaluation in USD, by"
        + " rule.\n# TYPE ").append(SPEND).append(" counter\n");
    spendPico.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> sb
        .append(SPEND).append(e.getKey()).append(' ').append(BigDecimal.valueOf(
            e.getValue().sum()).movePointLeft(12).stripTrailingZeros().toPlainString())
        .append('\n'));
    sb.append("# HELP keel_online_eval_pending Traces waiting for their delay before online"
        + " evaluation.\n# TYPE keel_online_eval_pending gauge\nkeel_online_eval_pending ")
        .append(pending.getAsLong()).append('\n');
    return sb.toString();
  }

  private static String labels(String... pairs) {
    var sb = new StringBuilder("{");
    for (int i = 0; i + 1 < pairs.length; i += 2) {
      if (i > 0) {
        sb.append(',');
      }
      sb.append(pairs[i]).append("=\"").append(escape(pairs[i + 1])).append('"');
    }
    return sb.append('}').toString();
  }

  private static String escape(String v) {
    return v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
  }
}
