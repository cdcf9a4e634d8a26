package dev.keel.store.publicapi;

import dev.keel.core.trace.Level;
import dev.keel.core.trace.ObservationType;
import dev.keel.core.trace.QueryTime;
import dev.keel.store.DailyQuery;
import dev.keel.store.ObservationQuery;
import dev.keel.store.TraceQuery;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Langfuse read-API query parameters. Parameters Keel does not filter on (orderBy, fields,
 * filter, ...) are ignored; a bad value fails with a message naming the parameter and value.
 */
final class QueryParams {

  static final int DEFAULT_LIMIT = 50;
  static final int MAX_LIMIT = 100;
  static final BigDecimal MAX_DECIMAL = BigDecimal.valueOf(1_000_000_000L);

  private QueryParams() {
  }

  /**
   * Langfuse's trace filters plus Keel's own: {@code model} and {@code level} (any observation
   * of the trace), {@code minTotalCost}/{@code maxTotalCost} (USD) and {@code minLatency}/
   * {@code maxLatency} (seconds), named after the trace's {@code totalCost} and {@code latency}.
   */
  static TraceQuery traceQuery(String projectId, Map<String, List<String>> p) {
    BigDecimal minCost = decimal(p, "minTotalCost");
    BigDecimal maxCost = decimal(p, "maxTotalCost");
    BigDecimal minLatency = decimal(p, "minLatency");
    BigDecimal maxLatency = decimal(p, "maxLatency");
    ordered("minTotalCost", minCost, "maxTotalCost", maxCost);
    ordered("minLatency", minLatency, "maxLatency", maxLatency);
    Instant from = time(p, "fromTimestamp");
    Instant to = time(p, "toTimestamp");
    QueryTime.ordered("fromTimestamp", from, "toTimestamp", to);
    return new TraceQuery(projectId, from, to,
        one(p, "userId"), one(p, "sessionId"), one(p, "name"), all(p, "tags"),
        one(p, "environment"), one(p, "model"), level(p), minCost, maxCost,
        seconds(minLatency), seconds(maxLatency), page(p), limit(p));
  }

  /**
   * A non-negative decimal parameter, or null; at most {@link #MAX_DECIMAL}, which is more than
   * any cost or latency and keeps the value within what the store's integer columns hold.
   */
  static BigDecimal decimal(Map<String, List<String>> p, String name) {
    String v = one(p, name);
    if (v == null) {
      return null;
    }
    BigDecimal d;
    try {
      d = new BigDecimal(v.trim());
    } catch (NumberFormatException e) {
      throw bad(name, v, "must be a number");
    }
    if (d.signum() < 0 || d.compareTo(MAX_DECIMAL) > 0) {
      throw bad(name, v, "must be between 0 and " + MAX_DECIMAL.toPlainString());
    }
    return d;
  }

  static void ordered(String minName, BigDecimal min, String maxName, BigDecimal max) {
    if (min != null && max != null && min.compareTo(max) > 0) {
      throw new IllegalArgumentException(minName + " must not exceed " + maxName + ": "
          + min.toPlainString() + " > " + max.toPlainString());
    }
  }

  private static Duration seconds(BigDecimal s) {
    return s == null ? null : Duration.ofNanos(s.movePointRight(9)
        .setScale(0, RoundingMode.HALF_UP).longValueExact());
  }

  private static String level(Map<String, List<String>> p) {
    String level = one(p, "level");
    if (level != null && Arrays.stream(Level.values()).noneMatch(l -> l.name().equals(level))) {
      throw bad("level", level, "must be one of " + Arrays.toString(Level.values()));
    }
    return level;
  }

  static ObservationQuery observationQuery(String projectId, Map<String, List<String>> p) {
    Instant from = time(p, "fromStartTime");
    Instant to = time(p, "toStartTime");
    QueryTime.ordered("fromStartTime", from, "toStartTime", to);
    return new ObservationQuery(projectId, one(p, "traceId"), one(p, "name"), type(p),
        one(p, "userId"), one(p, "model"), level(p), from, to, page(p), limit(p));
  }

  static DailyQuery dailyQuery(String projectId, Map<String, List<String>> p) {
    Instant from = time(p, "fromTimestamp");
    Instant to = time(p, "toTimestamp");
    QueryTime.ordered("fromTimestamp", from, "toTimestamp", to);
    return new DailyQuery(projectId, one(p, "traceName"), one(p, "userId"), all(p, "tags"),
        from, to);
  }

  static int page(Map<String, List<String>> p) {
    int page = integer(p, "page", 1);
    if (page < 1) {
      throw bad("page", String.valueOf(page), "must be at least 1");
    }
    return page;
  }

  static int limit(Map<String, List<String>> p) {
    int limit = integer(p, "limit", DEFAULT_LIMIT);
    if (limit < 1 || limit > MAX_LIMIT) {
      throw bad("limit", String.valueOf(limit), "must be between 1 and " + MAX_LIMIT);
    }
    return limit;
  }

  private static String type(Map<String, List<String>> p) {
    String type = one(p, "type");
    if (type != null && Arrays.stream(ObservationType.values())
        .noneMatch(t -> t.name().equals(type))) {
      throw bad("type", type, "must be one of " + Arrays.toString(ObservationType.values()));
    }
    return type;
  }

  private static int integer(Map<String, List<String>> p, String name, int fallback) {
    String v = one(p, name);
    if (v == null) {
      return fallback;
    }
    try {
      return Integer.parseInt(v.trim());
    } catch (NumberFormatException e) {
      throw bad(name, v, "must be an integer");
    }
  }

  private static Instant time(Map<String, List<String>> p, String name) {
    return QueryTime.parse(name, one(p, name));
  }

  // A repeated single-valued parameter is an error rather than a silent pick of one value.
  private static String one(Map<String, List<String>> p, String name) {
    List<String> values = p.get(name);
    if (values == null || values.isEmpty() || values.get(0) == null
        || values.get(0).isBlank()) {
      return null;
    }
    if (values.size() > 1) {
      throw bad(name, String.join(",", values), "must be given once");
    }
    return values.get(0);
  }

  private static List<String> all(Map<String, List<String>> p, String name) {
    List<String> values = p.get(name);
    return values == null ? List.of()
        : values.stream().filter(v -> v != null && !v.isBlank()).toList();
  }

  private static IllegalArgumentException bad(String name, String value, String rule) {
    return new IllegalArgumentException(name + " " + rule + ": " + value);
  }
}
