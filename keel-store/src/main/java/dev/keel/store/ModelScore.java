package dev.keel.store;

import java.time.Instant;
import java.util.Objects;

/**
 * The scores of one name measured on one model's answers, from one evaluation run or, when
 * {@code run} is null, from traces of no run, by {@code kind}: online evaluation of live traffic
 * or scores posted some other way.
 *
 * @param model the model that answered (the GENERATION's model)
 * @param run the eval run ({@code eval_run} in the trace's metadata), or null
 * @param dataset the run's dataset as its run record names it, or null when unknown
 * @param scores how many scores
 * @param mean their mean value
 * @param latest when the newest of them was made
 * @param kind where they came from: {@value #EVAL_RUN} (an eval run's), {@value #ONLINE} (written
 *     by an online evaluation rule: source EVAL with {@code online_eval_rule} in the metadata),
 *     else the score's source in lower case ({@code api}, {@code annotation}, or {@code eval}
 *     for EVAL scores of no run and no rule)
 */
public record ModelScore(String model, String run, String dataset, long scores, double mean,
    Instant latest, String kind) {

  public static final String EVAL_RUN = "eval_run";
  public static final String ONLINE = "online";

  public ModelScore {
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(latest, "latest");
    Objects.requireNonNull(kind, "kind");
    if (scores <= 0) {
      throw new IllegalArgumentException("scores must be positive: " + scores);
    }
  }
}
