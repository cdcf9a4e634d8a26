package dev.keel.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.Map;
import java.util.SplittableRandom;

/** One model's latency distributions and fault rates from a scenario file. */
final class ModelProfile {

  /** z-score of the 99th percentile of the standard normal distribution. */
  private static final double Z_P99 = 2.3263478740408408;

  private final LogNormal ttft;
  private final LogNormal perToken;
  private final Map<Fault, Double> faultRates;
  private final SplittableRandom random;
  private final Double quality;

  private ModelProfile(LogNormal ttft, LogNormal perToken, Map<Fault, Double> faultRates,
      long seed, Double quality) {
    this.quality = quality;
    this.ttft = ttft;
    this.perToken = perToken;
    this.faultRates = faultRates;
    this.random = new SplittableRandom(seed);
  }

  static ModelProfile parse(String model, JsonNode node, long seed) {
    LogNormal ttft = LogNormal.parse(model + ".latency.ttft_ms",
        node.path("latency").path("ttft_ms"));
    LogNormal tok = LogNormal.parse(model + ".latency.token_ms",
        node.path("latency").path("token_ms"));
    Map<Fault, Double> rates = new EnumMap<>(Fault.class);
    double sum = 0;
    Iterator<Map.Entry<String, JsonNode>> it = node.path("faults").fields();
    while (it.hasNext()) {
      var e = it.next();
      double rate = e.getValue().asDouble(-1);
      if (rate < 0 || rate > 1) {
        throw new IllegalArgumentException("fault rate must be between 0 and 1: " + model
            + ".faults." + e.getKey() + "=" + e.getValue());
      }
      rates.put(Fault.parse(e.getKey()), rate);
      sum += rate;
    }
    if (sum > 1) {
      throw new IllegalArgumentException("fault rates must add up to at most 1: " + model
          + " sums to " + sum);
    }
    return new ModelProfile(ttft, tok, rates, seed, quality(model, node.path("quality")));
  }

  /** The share of answer-book questions answered right, or null when the file sets none. */
  Double quality() {
    return quality;
  }

  private static Double quality(String model, JsonNode q) {
    if (q.isMissingNode() || q.isNull()) {
      return null;
    }
    double v = q.asDouble(-1);
    if (!q.isNumber() || v < 0 || v > 1) {
      throw new IllegalArgumentException("quality must be a number between 0 and 1: " + model
          + ".quality=" + q);
    }
    return v;
  }

  synchronized Scenario.Sample sample() {
    long t = ttft.sample(random);
    long k = perToken.sample(random);
    double u = random.nextDouble();
    Fault fault = Fault.NONE;
    for (var e : faultRates.entrySet()) {
      u -= e.getValue();
      if (u < 0) {
        fault = e.getKey();
        break;
      }
    }
    return new Scenario.Sample(t, k, fault);
  }

  /** Log-normal fixed by its median and 99th percentile; absent means always zero. */
  private record LogNormal(double mu, double sigma, boolean present) {

    static LogNormal parse(String where, JsonNode node) {
      if (node.isMissingNode() || node.isNull()) {
        return new LogNormal(0, 0, false);
      }
      double median = node.path("median").asDouble(-1);
      double p99 = node.path("p99").asDouble(median);
      if (median <= 0 || p99 < median) {
        throw new IllegalArgumentException(where
            + " needs median > 0 and p99 >= median: median=" + median + " p99=" + p99);
      }
      return new LogNormal(Math.log(median), (Math.log(p99) - Math.log(median)) / Z_P99, true);
    }

    long sample(SplittableRandom random) {
      return present ? Math.round(Math.exp(mu + sigma * random.nextGaussian())) : 0;
    }
  }
}
