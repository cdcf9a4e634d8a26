package dev.keel.gateway.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * keel.yaml's {@code online_eval}: rules that score a sample of live traces, and the queue and
 * workers that run them off the request path. The rules stay JSON here; the evaluation module
 * reads and checks them at start (an error names {@code online_eval.rules[i].field}).
 *
 * @param queueCapacity traces that may wait for their rules' delay at once; more are skipped
 *     and counted (default 10000)
 * @param concurrency traces scored at once (default 2)
 * @param rules the rules, each a mapping (see docs/eval.md, Online evaluation)
 */
public record OnlineEvalSettings(Integer queueCapacity, Integer concurrency,
    List<JsonNode> rules) {

  public static final OnlineEvalSettings DEFAULT = new OnlineEvalSettings(null, null, null);

  public OnlineEvalSettings {
    queueCapacity = queueCapacity == null ? 10_000 : queueCapacity;
    concurrency = concurrency == null ? 2 : concurrency;
    rules = rules == null ? List.of() : List.copyOf(rules);
    if (queueCapacity <= 0) {
      throw new IllegalArgumentException("online_eval.queue_capacity must be positive: "
          + queueCapacity);
    }
    if (concurrency <= 0 || concurrency > 64) {
      throw new IllegalArgumentException("online_eval.concurrency must be from 1 to 64: "
          + concurrency);
    }
  }
}
