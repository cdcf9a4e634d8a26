package dev.keel.eval.judge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keel.eval.Judge;
import dev.keel.eval.ScoreResult;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Measures a judge's agreement with human pairwise labels. The labels file is a JSON array in
 * RAGChecker's meta-evaluation format: per row {@code instance_id}, {@code query},
 * {@code gt_answer}, {@code model1.response}, {@code model2.response} and labels in -2..2
 * ({@code overall_label}, {@code correctness_label}, {@code completeness_label}), positive when
 * model 2's answer is better; an instance may have several rows (one per annotator). Each
 * instance is judged once, pairwise in both orders against the reference answer.
 */
public final class Calibration {

  static final Set<String> LABELS = Set.of("overall", "correctness", "completeness");
  static final String RUBRIC = "Which answer is more correct and complete with respect to the "
      + "reference answer?";

  /** One instance: the question, the reference, both answers, and each annotator's label. */
  public record Instance(String id, String query, String reference, String answer1,
      String answer2, List<Integer> labels) {}

  /**
   * The outcome.
   *
   * @param judged instances the judge gave a verdict on
   * @param undetermined instances the judge failed on (left out)
   * @param accuracy share of non-tie human labels whose side the judge picked (a judge tie
   *     counts as a miss), over labels of judged instances
   * @param agreement share of all human labels whose sign (-, 0, +) the judge matched
   * @param kappa Cohen's kappa between judge and human signs over all labels
   * @param humanAgreement share of instances with two labels whose signs agree (the ceiling)
   */
  public record Result(String judgeModel, String label, int judged, int undetermined,
      double accuracy, double agreement, double kappa, double humanAgreement) {}

  private Calibration() {}

  /** Reads the labels file; throws naming the row that is missing a field. */
  public static List<Instance> read(Path file, String label) throws IOException {
    if (!LABELS.contains(label)) {
      throw new IllegalArgumentException("label must be one of " + LABELS + ": " + label);
    }
    JsonNode root = new ObjectMapper().readTree(file.toFile());
    if (root == null || !root.isArray()) {
      throw new IllegalArgumentException(file + " must hold a JSON array of labelled pairs");
    }
    Map<String, Instance> byId = new LinkedHashMap<>();
    for (int i = 0; i < root.size(); i++) {
      JsonNode r = root.get(i);
      for (String f : new String[] {"instance_id", "query", "gt_answer", label + "_label"}) {
        if (!r.hasNonNull(f)) {
          throw new IllegalArgumentException(file + " row " + (i + 1) + " has no " + f);
        }
      }
      String a1 = r.path("model1").path("response").asText(null);
      String a2 = r.path("model2").path("response").asText(null);
      if (a1 == null || a2 == null) {
        throw new IllegalArgumentException(file + " row " + (i + 1)
            + " needs model1.response and model2.response");
      }
      String id = r.get("instance_id").asText();
      Instance in = byId.computeIfAbsent(id, k -> new Instance(k, r.get("query").asText(),
          r.get("gt_answer").asText(), a1, a2, new ArrayList<>()));
      in.labels().add(r.get(label + "_label").asInt());
    }
    return List.copyOf(byId.values());
  }

  /** Judges each instance (model 2 as the candidate, model 1 as the baseline) and compares. */
  public static Result run(Judge judge, List<Instance> instances, String label) {
    List<Integer> verdicts = new ArrayList<>();
    for (Instance in : instances) {
      ScoreResult r = JudgeScorers.compare("calibration", judge, RUBRIC, in.query(),
          in.reference(), in.answer2(), in.answer1());
      verdicts.add(r.determined() ? (int) Math.signum(r.value() - 0.5) : null);
    }
    return score(judge.model(), label, instances, verdicts);
  }

  /**
   * The agreement arithmetic: {@code verdicts.get(i)} is -1, 0, +1 (model 1 better, tie,
   * model 2 better) or null when the judge failed on instance i.
   */
  public static Result score(String model, String label, List<Instance> instances,
      List<Integer> verdicts) {
    int judged = 0;
    int hits = 0;
    int decisive = 0;
    int same = 0;
    int total = 0;
    int[][] confusion = new int[3][3];
    int pairs = 0;
    int pairsAgree = 0;
    for (int i = 0; i < instances.size(); i++) {
      List<Integer> labels = instances.get(i).labels();
      if (labels.size() >= 2) {
        pairs++;
        pairsAgree += Integer.signum(labels.get(0)) == Integer.signum(labels.get(1)) ? 1 : 0;
      }
      Integer v = verdicts.get(i);
      if (v == null) {
        continue;
      }
      judged++;
      for (int h : labels) {
        int hs = Integer.signum(h);
        total++;
        same += hs == v ? 1 : 0;
        confusion[v + 1][hs + 1]++;
        if (hs != 0) {
          decisive++;
          hits += hs == v ? 1 : 0;
        }
      }
    }
    return new Result(model, label, judged, instances.size() - judged,
        decisive == 0 ? Double.NaN : (double) hits / decisive,
        total == 0 ? Double.NaN : (double) same / total, kappa(confusion, total),
        pairs == 0 ? Double.NaN : (double) pairsAgree / pairs);
  }

  static double kappa(int[][] m, int n) {
    if (n == 0) {
      return Double.NaN;
    }
    double observed = 0;
    double expected = 0;
    for (int k = 0; k < 3; k++) {
      observed += m[k][k];
      double row = m[k][0] + m[k][1] + m[k][2];
      double col = m[0][k] + m[1][k] + m[2][k];
      expected += row * col / n;
    }
    observed /= n;
    expected /= n;
    return expected == 1 ? Double.NaN : (observed - expected) / (1 - expected);
  }
}
