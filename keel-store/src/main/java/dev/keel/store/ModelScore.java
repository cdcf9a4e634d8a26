package dev.keel.store;

import java.time.Instant;
import java.util.Objects;

/**
 * The scores of one name measured on one model's answers, from one evaluation run or, when
 * {@code run} is null, from traces of no run (online evaluation of live traffic).
 *
 * @param model the model that answered (the GENERATION's model)
 * @param run the eval run ({@code eval_run} in the trace's metadata), or null
 * @param dataset the run's dataset as its run record names it, or null when unknown
 * @param scores how many scores
 * @param mean their mean value
 * @param latest when the newest of them was made
 */
public record ModelScore(String model, String run, String dataset, long scores, double mean,
    Instant latest) {

  public ModelScore {
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(latest, "latest");
    if (scores <= 0) {
      throw new IllegalArgumentException("scores must be positive: " + scores);
    }
  }
}
