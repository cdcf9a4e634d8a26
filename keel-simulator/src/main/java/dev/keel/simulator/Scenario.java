package dev.keel.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * A seeded scenario: per model, log-normal latencies and fault rates.
 *
 * <p>File shape (see example-scenario.yaml): top-level {@code seed}, and {@code models} mapping a
 * model id, or {@code "*"} for every other model, to {@code seed}, {@code latency.ttft_ms} and
 * {@code latency.token_ms} (each {@code {median, p99}}), {@code faults} (kind to rate) and
 * {@code quality} (share of answer-book questions answered right, 0..1).
 * Each model draws from its own seeded generator, so one model's traffic does not change
 * another's draws; under concurrency the order of draws follows the order of arrival.
 */
final class Scenario {

  static final String ANY_MODEL = "*";
  private static final Scenario NONE = new Scenario(Map.of());

  private final Map<String, ModelProfile> profiles;

  private Scenario(Map<String, ModelProfile> profiles) {
    this.profiles = profiles;
  }

  static Scenario none() {
    return NONE;
  }

  static Scenario load(Path file) {
    try {
      return parse(new YAMLMapper().readTree(file.toFile()), file.toString());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read scenario " + file + ": " + e.getMessage(), e);
    }
  }

  static Scenario parse(JsonNode root, String source) {
    if (root == null || !root.isObject()) {
      throw new IllegalArgumentException("scenario must be a YAML mapping: " + source);
    }
    long seed = root.path("seed").asLong(0);
    Map<String, ModelProfile> profiles = new HashMap<>();
    Iterator<Map.Entry<String, JsonNode>> it = root.path("models").fields();
    while (it.hasNext()) {
      var e = it.next();
      long modelSeed = e.getValue().path("seed").asLong(seed ^ e.getKey().hashCode());
      profiles.put(e.getKey(), ModelProfile.parse(e.getKey(), e.getValue(), modelSeed));
    }
    return new Scenario(Map.copyOf(profiles));
  }

  /** One draw for {@code model}; zero latency and no fault when the scenario names none. */
  Sample sample(String model) {
    ModelProfile p = profiles.get(model);
    if (p == null) {
      p = profiles.get(ANY_MODEL);
    }
    return p == null ? Sample.QUIET : p.sample();
  }

  /**
   * The model's quality for the answer book: the scenario's for the model, else for
   * {@code "*"}, else the model's built-in default ({@link Quality#DEFAULTS}), else
   * {@value Quality#FALLBACK}.
   */
  double quality(String model) {
    ModelProfile p = profiles.get(model);
    if (p != null && p.quality() != null) {
      return p.quality();
    }
    ModelProfile any = profiles.get(ANY_MODEL);
    if (any != null && any.quality() != null) {
      return any.quality();
    }
    return Quality.DEFAULTS.getOrDefault(model, Quality.FALLBACK);
  }

  /** Latencies in milliseconds and the fault drawn for one request. */
  record Sample(long ttftMs, long tokenMs, Fault fault) {
    static final Sample QUIET = new Sample(0, 0, Fault.NONE);
  }
}
