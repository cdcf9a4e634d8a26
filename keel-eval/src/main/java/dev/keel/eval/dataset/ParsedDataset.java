package dev.keel.eval.dataset;

import java.util.List;

/**
 * A dataset file read with {@link DatasetFiles#parse}: its items in file order, and the
 * problems of the lines that were skipped (empty unless skipping was asked for).
 */
public record ParsedDataset(List<ParsedItem> items, List<String> skipped) {

  public ParsedDataset {
    items = List.copyOf(items);
    skipped = List.copyOf(skipped);
  }
}
