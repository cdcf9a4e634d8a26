package dev.keel.eval;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Objects;

/**
 * One item of a dataset as scorers see it.
 *
 * @param input what the task receives (a string, chat messages, or any JSON)
 * @param expectedOutput the reference answer, or null
 * @param contexts reference contexts (gold passages) for RAG metrics; empty when none
 * @param metadata anything else the item carries (expected tool calls, tags...), or null
 */
public record EvalItem(String id, JsonNode input, JsonNode expectedOutput, List<String> contexts,
    JsonNode metadata) {

  public EvalItem {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(input, "input");
    contexts = contexts == null ? List.of() : List.copyOf(contexts);
  }
}
