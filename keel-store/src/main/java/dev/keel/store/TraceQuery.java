package dev.keel.store;

import dev.keel.core.trace.Level;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Filters for listing traces, newest first. Null filters match everything; every tag in
 * {@code tags} must be on a trace for it to match. Time bounds: from inclusive, to exclusive.
 *
 * <p>{@code model} and {@code level} match a trace when any of its observations has that model
 * or level. Cost bounds compare the trace's total cost in USD, latency bounds the time from its
 * first observation's start to its last one's end; both bounds are inclusive, and a trace whose
 * latency is unknown (no observation with an end) matches no latency bound.
 */
public record TraceQuery(String projectId, Instant fromTimestamp, Instant toTimestamp,
    String userId, String sessionId, String name, List<String> tags, String environment,
    String model, String level, BigDecimal minCostUsd, BigDecimal maxCostUsd,
    Duration minLatency, Duration maxLatency, int page, int limit) {

  public TraceQuery {
    Objects.requireNonNull(projectId, "projectId");
    tags = tags == null ? List.of() : List.copyOf(tags);
    if (level != null && Arrays.stream(Level.values()).noneMatch(l -> l.name().equals(level))) {
      throw new IllegalArgumentException("level must be one of "
          + Arrays.toString(Level.values()) + ": " + level);
    }
    checkRange("cost", minCostUsd, maxCostUsd);
    checkRange("latency", minLatency, maxLatency);
    Queries.checkPaging(page, limit);
  }

  /** The filters before model, level, cost and latency existed; those match everything. */
  public TraceQuery(String projectId, Instant fromTimestamp, Instant toTimestamp, String userId,
      String sessionId, String name, List<String> tags, String environment, int page,
      int limit) {
    this(projectId, fromTimestamp, toTimestamp, userId, sessionId, name, tags, environment,
        null, null, null, null, null, null, page, limit);
  }

  /** All traces of a project, first page of {@code limit}. */
  public static TraceQuery all(String projectId, int limit) {
    return new TraceQuery(projectId, null, null, null, null, null, null, null, 1, limit);
  }

  private static void checkRange(String what, BigDecimal min, BigDecimal max) {
    for (BigDecimal b : Arrays.asList(min, max)) {
      if (b != null && b.signum() < 0) {
        throw new IllegalArgumentException(what + " bounds must not be negative: " + b);
      }
    }
    checkOrder(what, min, max);
  }

  private static void checkRange(String what, Duration min, Duration max) {
    for (Duration b : Arrays.asList(min, max)) {
      if (b != null && b.isNegative()) {
        throw new IllegalArgumentException(what + " bounds must not be negative: " + b);
      }
    }
    checkOrder(what, min, max);
  }

  private static <T extends Comparable<? super T>> void checkOrder(String what, T min, T max) {
    if (min != null && max != null && min.compareTo(max) > 0) {
      throw new IllegalArgumentException("minimum " + what + " must not exceed the maximum: "
          + min + " > " + max);
    }
  }
}
