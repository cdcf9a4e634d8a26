package dev.keel.eval.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * An evaluation file: which dataset, which task, which scorers with which thresholds, and what
 * to compare against. Read with {@link #read(Path)}; every problem is one line naming the key.
 *
 * @param name the run name prefix (traces are tagged with the run name)
 * @param dataset where the items come from
 * @param task what answers them
 * @param scorers the scorers with their options and thresholds, at least one
 * @param judgeModel the model LLM-as-judge scorers ask through the gateway, or null
 * @param baseline the results to compare against, or null
 * @param tolerance how far a mean may drop below the baseline's before it is a regression
 * @param maxErrorRate the share of items whose task may fail (after retries) without failing
 * @param concurrency items run at once
 * @param retries extra attempts for a task call that failed in a way a retry can help
 */
public record EvalFile(String name, DatasetRef dataset, TaskSpec task, List<ScorerSpec> scorers,
    String judgeModel, Baseline baseline, double tolerance, double maxErrorRate, int concurrency,
    int retries) {

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final Set<String> KEYS = Set.of("name", "dataset", "task", "scorers", "judge",
      "baseline", "tolerance", "max_error_rate", "concurrency", "retries");

  public EvalFile {
    Objects.requireNonNull(name, "name");
    // The run name goes into trace ids and tags.
    if (!name.matches("[A-Za-z0-9._:-]{1,80}")) {
      throw new IllegalArgumentException("name must be 1 to 80 letters, digits or . _ : -: "
          + name);
    }
    Objects.requireNonNull(dataset, "dataset");
    Objects.requireNonNull(task, "task");
    scorers = List.copyOf(scorers);
    if (scorers.isEmpty()) {
      throw new IllegalArgumentException("scorers must list at least one scorer");
    }
    if (tolerance < 0 || tolerance > 1) {
      throw new IllegalArgumentException("tolerance must be between 0 and 1: " + tolerance);
    }
    if (maxErrorRate < 0 || maxErrorRate > 1) {
      throw new IllegalArgumentException("max_error_rate must be between 0 and 1: "
          + maxErrorRate);
    }
    if (concurrency < 1 || concurrency > 256) {
      throw new IllegalArgumentException("concurrency must be 1 to 256: " + concurrency);
    }
    if (retries < 0 || retries > 10) {
      throw new IllegalArgumentException("retries must be 0 to 10: " + retries);
    }
  }

  /** Reads and validates an evaluation file; relative paths in it are relative to its folder. */
  public static EvalFile read(Path file) {
    JsonNode root;
    try {
      root = YAML.readTree(Files.readString(file));
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read evaluation file " + file + ": "
          + firstLine(e.getMessage()));
    }
    if (root == null || !root.isObject()) {
      throw new IllegalArgumentException("evaluation file " + file + " must be a YAML mapping");
    }
    Path dir = file.toAbsolutePath().getParent();
    try {
      return parse(root, dir, stem(file));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(file.getFileName() + ": " + e.getMessage(), e);
    }
  }

  static EvalFile parse(JsonNode root, Path dir, String defaultName) {
    unknownKeys(root, KEYS, "");
    String name = text(root, "name", defaultName);
    List<ScorerSpec> scorers = new ArrayList<>();
    JsonNode list = root.path("scorers");
    if (!list.isArray()) {
      throw new IllegalArgumentException("scorers must be a list");
    }
    for (int i = 0; i < list.size(); i++) {
      scorers.add(ScorerSpec.parse(list.get(i), "scorers[" + i + "]"));
    }
    JsonNode judge = root.path("judge");
    String judgeModel = judge.isObject() ? text(judge, "model", null) : text(root, "judge", null);
    return new EvalFile(name, DatasetRef.parse(root.path("dataset"), dir),
        TaskSpec.parse(root.path("task")), scorers, judgeModel,
        Baseline.parse(root.path("baseline"), dir), number(root, "tolerance", 0.0),
        number(root, "max_error_rate", 0.0), (int) number(root, "concurrency", 4),
        (int) number(root, "retries", 2));
  }

  /** Where the items come from: a file, or a dataset stored in Keel (version null = latest). */
  public record DatasetRef(Path file, String name, Integer version) {
    public DatasetRef {
      if ((file == null) == (name == null)) {
        throw new IllegalArgumentException("dataset needs exactly one of file or name");
      }
      if (version != null && version < 1) {
        throw new IllegalArgumentException("dataset.version must be positive: " + version);
      }
    }

    static DatasetRef parse(JsonNode n, Path dir) {
      if (n.isTextual()) {
        return new DatasetRef(dir.resolve(n.asText()), null, null);
      }
      if (!n.isObject()) {
        throw new IllegalArgumentException("dataset must be a file path or a mapping with file"
            + " or name (and version)");
      }
      unknownKeys(n, Set.of("file", "name", "version"), "dataset.");
      String file = text(n, "file", null);
      Integer version = n.has("version") ? (int) number(n, "version", 0) : null;
      return new DatasetRef(file == null ? null : dir.resolve(file), text(n, "name", null),
          version);
    }
  }

  /**
   * What answers each item: a model through Keel's gateway (optionally rendering a registered
   * prompt), or the user's HTTP endpoint. Java functions are passed to the runner directly.
   *
   * @param model the model asked through the gateway (null for an endpoint)
   * @param prompt the registered prompt's name, or null
   * @param promptLabel the prompt's label (default {@code production} when neither is given)
   * @param promptVersion the prompt's version, or null
   * @param system a literal system message put before the item's input, or null
   * @param url the endpoint that receives {@code {"id", "input", "metadata"}} as a POST, or null
   * @param answer a pointer to the answer in the endpoint's JSON ({@code $.a.b} or {@code /a/b})
   * @param contexts a pointer to the contexts the endpoint retrieved (for RAG metrics), or null
   */
  public record TaskSpec(String model, String prompt, String promptLabel, Integer promptVersion,
      String system, String url, String answer, String contexts) {
    public TaskSpec {
      if ((model == null) == (url == null)) {
        throw new IllegalArgumentException("task needs exactly one of model or url");
      }
      if (promptLabel != null && promptVersion != null) {
        throw new IllegalArgumentException("task.prompt takes a label or a version, not both");
      }
    }

    static TaskSpec parse(JsonNode n) {
      if (!n.isObject()) {
        throw new IllegalArgumentException("task must be a mapping with model or url");
      }
      unknownKeys(n, Set.of("model", "prompt", "system", "url", "answer", "contexts"),
          "task.");
      JsonNode p = n.path("prompt");
      String prompt = p.isTextual() ? p.asText() : p.isObject() ? text(p, "name", null) : null;
      String label = p.isObject() ? text(p, "label", null) : null;
      Integer version = p.isObject() && p.has("version") ? (int) number(p, "version", 0) : null;
      if (p.isObject()) {
        unknownKeys(p, Set.of("name", "label", "version"), "task.prompt.");
      }
      if (prompt != null && label == null && version == null) {
        label = "production";
      }
      return new TaskSpec(text(n, "model", null), prompt, label, version,
          text(n, "system", null), text(n, "url", null), text(n, "answer", "$.answer"),
          text(n, "contexts", null));
    }
  }

  /**
   * One scorer and its gate. An item passes when its value is at least {@code pass}.
   *
   * @param minMean the mean must be at least this, or null for no threshold
   * @param minPassRate the share of passing items must be at least this, or null
   */
  public record ScorerSpec(String name, Map<String, Object> options, Double minMean,
      Double minPassRate, double pass) {
    public ScorerSpec {
      Objects.requireNonNull(name, "name");
      options = Map.copyOf(options);
    }

    /** A scorer entry (a name, or a mapping); errors name it by {@code where}. */
    public static ScorerSpec parse(JsonNode n, String where) {
      if (n.isTextual()) {
        return new ScorerSpec(n.asText(), Map.of(), null, null, 0.5);
      }
      if (!n.isObject() || !n.path("name").isTextual()) {
        throw new IllegalArgumentException(where + " must be a scorer name or a mapping with"
            + " name");
      }
      unknownKeys(n, Set.of("name", "options", "min_mean", "min_pass_rate", "pass"),
          where + ".");
      Map<String, Object> options = new LinkedHashMap<>();
      if (n.has("options")) {
        if (!n.get("options").isObject()) {
          throw new IllegalArgumentException(where + ".options must be a mapping");
        }
        options.putAll(YAML.convertValue(n.get("options"), Map.class));
      }
      return new ScorerSpec(n.get("name").asText(), options,
          n.has("min_mean") ? number(n, "min_mean", 0) : null,
          n.has("min_pass_rate") ? number(n, "min_pass_rate", 0) : null,
          number(n, "pass", 0.5));
    }
  }

  /** A committed results file, or a run whose results are stored in Keel. */
  public record Baseline(Path file, String run) {
    public Baseline {
      if ((file == null) == (run == null)) {
        throw new IllegalArgumentException("baseline needs exactly one of file or run");
      }
    }

    static Baseline parse(JsonNode n, Path dir) {
      if (n.isMissingNode() || n.isNull()) {
        return null;
      }
      if (n.isTextual()) {
        return new Baseline(dir.resolve(n.asText()), null);
      }
      if (!n.isObject()) {
        throw new IllegalArgumentException("baseline must be a file path or a mapping with file"
            + " or run");
      }
      unknownKeys(n, Set.of("file", "run"), "baseline.");
      String file = text(n, "file", null);
      return new Baseline(file == null ? null : dir.resolve(file), text(n, "run", null));
    }
  }

  private static void unknownKeys(JsonNode n, Set<String> allowed, String prefix) {
    for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
      String k = it.next();
      if (!allowed.contains(k)) {
        throw new IllegalArgumentException("unknown key " + prefix + k + "; allowed: "
            + allowed.stream().sorted().toList());
      }
    }
  }

  private static String text(JsonNode n, String key, String dflt) {
    JsonNode v = n.get(key);
    if (v == null || v.isNull()) {
      return dflt;
    }
    if (!v.isValueNode() || v.asText().isBlank()) {
      throw new IllegalArgumentException(key + " must be a non-empty string: " + v);
    }
    return v.asText();
  }

  private static double number(JsonNode n, String key, double dflt) {
    JsonNode v = n.get(key);
    if (v == null || v.isNull()) {
      return dflt;
    }
    if (!v.isNumber()) {
      throw new IllegalArgumentException(key + " must be a number: " + v);
    }
    return v.asDouble();
  }

  private static String stem(Path file) {
    String f = file.getFileName().toString();
    int dot = f.lastIndexOf('.');
    String stem = dot > 0 ? f.substring(0, dot) : f;
    return stem.replaceAll("[^A-Za-z0-9._:-]", "-");
  }

  private static String firstLine(String s) {
    return s == null ? "" : s.lines().findFirst().orElse("");
  }
}
