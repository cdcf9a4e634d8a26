package dev.keel.gateway.metrics;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * Prometheus metrics for the gateway, rendered in the text exposition format on {@code /metrics}.
 *
 * <p>Counters are {@link LongAdder}s keyed by their label values, so recording on the request
 * path is a map lookup and an add, with no lock.
 */
public final class Metrics {

  static final double[] LATENCY_BUCKETS =
      {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120};

  private final Map<String, LongAdder> requests = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> errors = new ConcurrentHashMap<>();
  private final Map<String, Histogram> latency = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> tokens = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> costPico = new ConcurrentHashMap<>();
  private final Map<String, Scraped> scraped = new TreeMap<>();
  private final List<java.util.function.Supplier<String>> sections =
      new java.util.concurrent.CopyOnWriteArrayList<>();

  /** One HTTP request finished. */
  public void request(String route, String model, int status, long nanos) {
    String key = route + "\u0000" + model + "\u0000" + status;
    requests.computeIfAbsent(key, k -> new LongAdder()).increment();
    if (status >= 400) {
      errors.computeIfAbsent(route + "\u0000" + model + "\u0000" + status,
          k -> new LongAdder()).increment();
    }
    latency.computeIfAbsent(route + "\u0000" + model, k -> new Histogram()).observe(nanos);
  }

  /** Tokens a model used, by usage key. */
  public void tokens(String model, String usageKey, long count) {
    if (count > 0) {
      tokens.computeIfAbsent(model + "\u0000" + usageKey, k -> new LongAdder()).add(count);
    }
  }

  /** Cost of a model call in USD. */
  public void cost(String model, BigDecimal usd) {
    long pico = usd.movePointRight(12).longValue();
    costPico.computeIfAbsent(model, k -> new LongAdder()).add(pico);
  }

  /** A value read when scraped, such as the trace queue depth. */
  public synchronized void gauge(String name, LongSupplier value) {
    scraped.put(name, new Scraped("gauge", null, value));
  }

  /**
   * A count kept elsewhere that only grows, such as traces written, read when scraped and
   * exposed as a counter so {@code rate()} and {@code increase()} work on it.
   */
  public synchronized void counterGauge(String name, String help, LongSupplier value) {
    scraped.put(name, new Scraped("counter", help, value));
  }

  /**
   * Metric families a feature renders itself, in the text format, because they carry labels or
   * decimals that {@link #counterGauge} cannot (online evaluation's counters, for one).
   */
  public void section(java.util.function.Supplier<String> families) {
    sections.add(families);
  }

  /** The text exposition format. */
  public String render() {
    var sb = new StringBuilder(4096);
    counter(sb, "keel_requests_total", "HTTP requests by route, model and status.",
        requests, "route", "model", "status");
    counter(sb, "keel_request_errors_total", "HTTP requests that ended with status >= 400.",
        errors, "route", "model", "status");
    histograms(sb);
    counter(sb, "keel_tokens_total", "Tokens by model and usage key.", tokens, "model", "type");
    sb.append("# HELP keel_cost_usd_total Cost of model calls in USD.\n")
        .append("# TYPE keel_cost_usd_total counter\n");
    for (var e : sorted(costPico)) {
      sb.append("keel_cost_usd_total{model=\"").append(escape(e.getKey())).append("\"} ")
          .append(BigDecimal.valueOf(e.getValue().sum()).movePointLeft(12).stripTrailingZeros()
              .toPlainString())
          .append('\n');
    }
    synchronized (this) {
      for (var g : scraped.entrySet()) {
        Scraped v = g.getValue();
        if (v.help() != null) {
          sb.append("# HELP ").append(g.getKey()).append(' ').append(v.help()).append('\n');
        }
        sb.append("# TYPE ").append(g.getKey()).append(' ').append(v.type()).append('\n')
            .append(g.getKey()).append(' ').append(v.value().getAsLong()).append('\n');
      }
    }
    sections.forEach(f -> sb.append(f.get()));
    return sb.toString();
  }

  private static void counter(StringBuilder sb, String name, String help,
      Map<String, LongAdder> values, String... labels) {
    sb.append("# HELP ").append(name).append(' ').append(help).append('\n')
        .append("# TYPE ").append(name).append(" counter\n");
    for (var e : sorted(values)) {
      sb.append(name).append(labels(e.getKey(), labels)).append(' ')
          .append(e.getValue().sum()).append('\n');
    }
  }

  private void histograms(StringBuilder sb) {
    String name = "keel_request_duration_seconds";
    sb.append("# HELP ").append(name).append(" Time to answer, by route and model.\n")
        .append("# TYPE ").append(name).append(" histogram\n");
    for (var e : sorted(latency)) {
      String base = labels(e.getKey(), "route", "model");
      String inner = base.substring(1, base.length() - 1);
      Histogram h = e.getValue();
      long cumulative = 0;
      for (int i = 0; i < LATENCY_BUCKETS.length; i++) {
        cumulative += h.buckets[i].sum();
        sb.append(name).append("_bucket{").append(inner).append(",le=\"")
            .append(LATENCY_BUCKETS[i]).append("\"} ").append(cumulative).append('\n');
      }
      long count = h.count.sum();
      sb.append(name).append("_bucket{").append(inner).append(",le=\"+Inf\"} ").append(count)
          .append('\n')
          .append(name).append("_sum").append(base).append(' ')
          .append(h.sumNanos.sum() / 1e9).append('\n')
          .append(name).append("_count").append(base).append(' ').append(count).append('\n');
    }
  }

  private static <V> List<Map.Entry<String, V>> sorted(Map<String, V> m) {
    var list = new ArrayList<>(m.entrySet());
    list.sort(Map.Entry.comparingByKey());
    return list;
  }

  private static String labels(String key, String... names) {
    String[] values = key.split("\u0000", -1);
    var sb = new StringBuilder("{");
    for (int i = 0; i < names.length; i++) {
      if (i > 0) {
        sb.append(',');
      }
      sb.append(names[i]).append("=\"").append(escape(i < values.length ? values[i] : ""))
          .append('"');
    }
    return sb.append('}').toString();
  }

  private static String escape(String v) {
    return v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
  }

  private static final class Histogram {
    final LongAdder[] buckets = new LongAdder[LATENCY_BUCKETS.length];
    final LongAdder count = new LongAdder();
    final LongAdder sumNanos = new LongAdder();

    Histogram() {
      for (int i = 0; i < buckets.length; i++) {
        buckets[i] = new LongAdder();
      }
    }

    void observe(long nanos) {
      double s = nanos / 1e9;
      for (int i = 0; i < LATENCY_BUCKETS.length; i++) {
        if (s <= LATENCY_BUCKETS[i]) {
          buckets[i].increment();
          break;
        }
      }
      count.increment();
      sumNanos.add(nanos);
    }
  }

  /** A value read at scrape time, with its Prometheus type and optional help text. */
  private record Scraped(String type, String help, LongSupplier value) {}
}
