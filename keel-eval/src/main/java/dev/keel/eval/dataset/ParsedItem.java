package dev.keel.eval.dataset;

import dev.keel.eval.EvalItem;
import java.util.Objects;

/**
 * One item read from a dataset file.
 *
 * @param line the 1-based line the item starts on
 * @param item the item; its id is the file's {@code id} or else derived from its content
 * @param explicitId whether the file gave the id (a derived id changes when the content does)
 */
public record ParsedItem(int line, EvalItem item, boolean explicitId) {

  public ParsedItem {
    Objects.requireNonNull(item, "item");
    if (line < 1) {
      throw new IllegalArgumentException("line must be positive: " + line);
    }
  }
}
