package dev.keel.tracing.ingest;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * The 207 answer to a batch, in Langfuse's shape: {@code successes} with status 201 and
 * {@code errors} with a status, a message and an error. sdk-log events are in neither.
 */
public record IngestionResult(List<Success> successes, List<Failure> errors) {

  /** An event that was stored. */
  public record Success(String id, int status) {
  }

  /** An event that was not, and why. */
  public record Failure(String id, int status, String message, String error) {
  }

  public IngestionResult {
    successes = List.copyOf(successes);
    errors = List.copyOf(errors);
  }

  public ObjectNode toJson() {
    ObjectNode n = JsonNodeFactory.instance.objectNode();
    var s = n.putArray("successes");
    successes.forEach(x -> s.addObject().put("id", x.id()).put("status", x.status()));
    var e = n.putArray("errors");
    errors.forEach(x -> e.addObject().put("id", x.id()).put("status", x.status())
        .put("message", x.message()).put("error", x.error()));
    return n;
  }
}
