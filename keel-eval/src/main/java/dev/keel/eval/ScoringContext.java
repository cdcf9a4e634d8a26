package dev.keel.eval;

import java.util.Objects;

/**
 * What a scorer sees for one item.
 *
 * @param judge the model that LLM-as-judge scorers ask, or null when the evaluation has none
 */
public record ScoringContext(EvalItem item, TaskOutput output, Judge judge) {

  public ScoringContext {
    Objects.requireNonNull(item, "item");
    Objects.requireNonNull(output, "output");
  }
}
