package dev.keel.store;

import java.util.Arrays;

/**
 * Counts of latencies over fixed logarithmic buckets, so that hourly rollups can be summed and
 * still answer percentiles. Bucket 0 holds everything under 1 ms; bucket {@code i > 0} holds
 * [1 ms * 2^((i-1)/8), 1 ms * 2^(i/8)), each about 9% wider than the one before; the last is
 * open-ended (past about 70 minutes). A percentile is reported as its bucket's geometric middle,
 * so it is within about 4.5% of the exact nearest-rank value.
 *
 * <p>Instances are mutable while a rollup is summed and are not thread-safe.
 */
public final class LatencyHistogram {

  static final int BUCKETS = 178;
  private static final long[] LOWER = lowerBounds();

  private final long[] counts = new long[BUCKETS];

  /** The bucket of a latency in microseconds. */
  static int bucket(long micros) {
    int i = Arrays.binarySearch(LOWER, micros);
    return Math.max(0, i >= 0 ? i : -i - 2);
  }

  /**
   * SQL giving the bucket of the latency {@code expr} (microseconds): a balanced tree of
   * comparisons, about eight per row, the same in both dialects.
   */
  static String bucketSql(String expr) {
    return tree(expr, 0, BUCKETS);
  }

  /** Adds {@code n} latencies of bucket {@code bucket}. */
  void add(int bucket, long n) {
    counts[bucket] += n;
  }

  /** Adds one latency, in microseconds. */
  public void addMicros(long micros) {
    counts[bucket(micros)]++;
  }

  /** Adds every count of {@code other}. */
  public void addAll(LatencyHistogram other) {
    for (int i = 0; i < BUCKETS; i++) {
      counts[i] += other.counts[i];
    }
  }

  /** How many latencies were added. */
  public long count() {
    return Arrays.stream(counts).sum();
  }

  /**
   * The nearest-rank percentile {@code p} (0 to 1) in seconds, as its bucket's middle; null when
   * the histogram is empty.
   */
  public Double percentileSeconds(double p) {
    if (p < 0 || p > 1) {
      throw new IllegalArgumentException("p must be between 0 and 1: " + p);
    }
    long n = count();
    if (n == 0) {
      return null;
    }
    long rank = Math.max(1, (long) Math.ceil(p * n));
    long seen = 0;
    for (int i = 0; i < BUCKETS; i++) {
      seen += counts[i];
      if (seen >= rank) {
        return middleMicros(i) / 1e6;
      }
    }
    throw new IllegalStateException("rank " + rank + " beyond count " + n);
  }

  /** "bucket:count" pairs of the non-empty buckets, space separated, as rollups store them. */
  String encode() {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < BUCKETS; i++) {
      if (counts[i] != 0) {
        b.append(b.isEmpty() ? "" : " ").append(i).append(':').append(counts[i]);
      }
    }
    return b.toString();
  }

  /** Adds the counts of a histogram {@link #encode()} wrote. */
  void addEncoded(String text) {
    if (text == null || text.isEmpty()) {
      return;
    }
    for (String pair : text.split(" ")) {
      int colon = pair.indexOf(':');
      counts[Integer.parseInt(pair, 0, colon, 10)] += Long.parseLong(pair.substring(colon + 1));
    }
  }

  private static double middleMicros(int bucket) {
    if (bucket == 0) {
      return LOWER[1] / 2.0;
    }
    if (bucket == BUCKETS - 1) {
      return LOWER[bucket];
    }
    return Math.sqrt((double) LOWER[bucket] * LOWER[bucket + 1]);
  }

  private static long[] lowerBounds() {
    long[] lower = new long[BUCKETS];
    for (int i = 1; i < BUCKETS; i++) {
      lower[i] = Math.round(1000 * Math.pow(2, (i - 1) / 8.0));
    }
    return lower;
  }

  private static String tree(String expr, int from, int to) {
    if (to - from == 1) {
      return String.valueOf(from);
    }
    int mid = (from + to) >>> 1;
    return "CASE WHEN " + expr + " < " + LOWER[mid] + " THEN " + tree(expr, from, mid)
        + " ELSE " + tree(expr, mid, to) + " END";
  }
}
