package dev.keel.prompts;

import dev.keel.core.error.ErrorCode;
import dev.keel.core.error.KeelException;
import java.util.List;

/**
 * A prompt request that cannot be served: bad input (400) or an unknown prompt, version or
 * label (404). A render with missing variables names every one of them at once.
 */
public final class PromptException extends KeelException {

  private final List<String> missingVariables;

  private PromptException(ErrorCode code, String message, String param,
      List<String> missingVariables) {
    super(code, message, param, null);
    this.missingVariables = List.copyOf(missingVariables);
  }

  /** A 400 about {@code param} (the request field at fault, or null). */
  public static PromptException invalid(String message, String param) {
    return new PromptException(ErrorCode.INVALID_REQUEST, message, param, List.of());
  }

  /** A 404. */
  public static PromptException notFound(String message) {
    return new PromptException(ErrorCode.NOT_FOUND, message, null, List.of());
  }

  /** A 400 naming every variable a render lacked. */
  public static PromptException missingVariables(String prompt, List<String> names) {
    return new PromptException(ErrorCode.INVALID_REQUEST, "prompt '" + prompt
        + "' needs variables that were not given: " + String.join(", ", names), "variables",
        names);
  }

  /** The variables a render lacked, in template order; empty for other errors. */
  public List<String> missingVariables() {
    return missingVariables;
  }
}
