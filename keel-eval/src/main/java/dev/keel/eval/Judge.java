package dev.keel.eval;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A model that answers a judge prompt with JSON, usually through Keel's gateway.
 */
public interface Judge {

  /** The judge model's name, recorded on every run (and marked when it is simulated). */
  String model();

  /**
   * Asks the judge. Returns its answer, or throws {@link JudgeException} when it failed or
   * answered something that is not JSON matching {@code schema} (after retries).
   *
   * @param schema the JSON Schema the answer must match
   * @param logprobs ask for token log-probabilities (for G-Eval weighting) when available
   */
  JudgeReply ask(String prompt, JsonNode schema, boolean logprobs);

  /** The judge's parsed JSON answer and, when asked for and available, the log-probabilities. */
  record JudgeReply(JsonNode json, JsonNode logprobs) {}

  /** The judge failed; the item's score is undetermined with this reason. */
  final class JudgeException extends RuntimeException {
    public JudgeException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
