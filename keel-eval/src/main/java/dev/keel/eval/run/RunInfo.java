package dev.keel.eval.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a run was made of, recorded first in its results file, so that two runs are compared
 * only when their numbers mean the same thing.
 *
 * @param run the run name (traces carry it as a tag)
 * @param dataset the dataset's name (a stored dataset) or file name
 * @param datasetVersion the stored version, or {@code sha256:...} of a dataset file's content
 * @param task what answered: {@code model}, {@code http <url>} or {@code java}
 * @param model the model asked, or null
 * @param prompt the registered prompt's name, or null
 * @param promptVersion the prompt version resolved when the run started, or null
 * @param judgeModel the judge model, or null (marked "(simulated)" when Keel said so)
 * @param scorers each scorer's name and version, in the file's order
 * @param startedAt when the run started (ISO-8601)
 */
public record RunInfo(String run, String dataset, String datasetVersion, String task,
    String model, String prompt, Integer promptVersion, String judgeModel,
    Map<String, String> scorers, String startedAt) {

  public RunInfo {
    Objects.requireNonNull(run, "run");
    Objects.requireNonNull(dataset, "dataset");
    Objects.requireNonNull(datasetVersion, "datasetVersion");
    scorers = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(scorers));
  }

  /**
   * Why results of this run and {@code other} must not be compared at all (a different dataset),
   * as problems; empty when they may be.
   */
  public List<String> incomparable(RunInfo other) {
    List<String> problems = new ArrayList<>();
    if (!dataset.equals(other.dataset) || !datasetVersion.equals(other.datasetVersion)) {
      problems.add("dataset differs: " + dataset + " " + datasetVersion + " vs "
          + other.dataset + " " + other.datasetVersion);
    }
    return problems;
  }

  /** Differences that make a score's numbers differ in meaning (scorer or judge changed). */
  public List<String> caveats(RunInfo other) {
    List<String> notes = new ArrayList<>();
    if (!Objects.equals(judgeModel, other.judgeModel)) {
      notes.add("judge model differs: " + judgeModel + " vs " + other.judgeModel);
    }
    scorers.forEach((name, version) -> {
      String theirs = other.scorers.get(name);
      if (theirs != null && !theirs.equals(version)) {
        notes.add("scorer " + name + " version differs: " + version + " vs " + theirs);
      }
    });
    return notes;
  }

  /** True when this scorer's scores mean the same in both runs. */
  boolean sameScorer(RunInfo other, String name) {
    return Objects.equals(scorers.get(name), other.scorers.get(name))
        && Objects.equals(judgeModel, other.judgeModel);
  }

  RunInfo withJudge(String judge) {
    return new RunInfo(run, dataset, datasetVersion, task, model, prompt, promptVersion, judge,
        scorers, startedAt);
  }

  JsonNode toJson() {
    ObjectNode n = JsonNodeFactory.instance.objectNode();
    n.put("run", run).put("dataset", dataset).put("datasetVersion", datasetVersion)
        .put("task", task).put("model", model).put("prompt", prompt)
        .put("promptVersion", promptVersion).put("judgeModel", judgeModel);
    ObjectNode s = n.putObject("scorers");
    scorers.forEach(s::put);
    n.put("startedAt", startedAt);
    return n;
  }

  static RunInfo fromJson(JsonNode n) {
    Map<String, String> scorers = new LinkedHashMap<>();
    n.path("scorers").fields().forEachRemaining(e -> scorers.put(e.getKey(),
        e.getValue().asText()));
    return new RunInfo(n.path("run").asText(), n.path("dataset").asText(),
        n.path("datasetVersion").asText(), textOrNull(n, "task"), textOrNull(n, "model"),
        textOrNull(n, "prompt"), n.path("promptVersion").isInt()
            ? n.path("promptVersion").asInt() : null, textOrNull(n, "judgeModel"), scorers,
        textOrNull(n, "startedAt"));
  }

  static String textOrNull(JsonNode n, String key) {
    JsonNode v = n.get(key);
    return v == null || v.isNull() ? null : v.asText();
  }
}
