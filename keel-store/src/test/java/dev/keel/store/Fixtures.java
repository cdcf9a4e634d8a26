package dev.keel.store;

import dev.keel.core.cost.Cost;
import dev.keel.core.trace.Level;
import dev.keel.core.trace.Observation;
import dev.keel.core.trace.ObservationType;
import dev.keel.core.trace.Trace;
import dev.keel.core.usage.Usage;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Traces and observations for store tests, with microsecond timestamps. */
final class Fixtures {

  static final Instant T0 = Instant.parse("2025-03-01T10:00:00.123456Z");

  private Fixtures() {
  }

  static String newProject() {
    return "p-" + UUID.randomUUID();
  }

  static Trace trace(String project, String id, Instant at) {
    return new Trace(id, project, "chat", at, "user-1", "session-1", "{\"q\":\"hi\"}",
        "\"hello\"", "{\"a\":1}", List.of("prod", "beta"), "r1", "v1", "production", true);
  }

  static Trace bareTrace(String project, String id, Instant at) {
    return new Trace(id, project, null, at, null, null, null, null, null, null, null, null,
        null, false);
  }

  static Observation generation(String project, String traceId, String id, Instant start,
      String cost) {
    var usage = new LinkedHashMap<String, Long>();
    usage.put(Usage.INPUT, 80L);
    usage.put(Usage.INPUT_CACHED, 20L);
    usage.put(Usage.OUTPUT, 30L);
    usage.put(Usage.OUTPUT_REASONING, 5L);
    usage.put(Usage.TOTAL, 135L);
    Cost c = cost == null ? null : new Cost(Map.of("input", new BigDecimal("0.0000025"),
        Cost.TOTAL, new BigDecimal(cost)));
    return new Observation(id, traceId, project, null, ObservationType.GENERATION, "llm",
        start, start.plus(Duration.ofMillis(1500)), start.plus(Duration.ofMillis(200)),
        "gpt-4o", "{\"temperature\":0.2}", "[{\"role\":\"user\"}]", "{\"role\":\"assistant\"}",
        "{\"m\":true}", Level.DEFAULT, null, new Usage(usage, true), c, "greet", 3,
        "production");
  }

  static Observation span(String project, String traceId, String id, Instant start) {
    return new Observation(id, traceId, project, null, ObservationType.SPAN, "retrieve", start,
        start.plus(Duration.ofMillis(100)), null, null, null, null, null, null, Level.WARNING,
        "slow", null, null, null, null, null);
  }
}
