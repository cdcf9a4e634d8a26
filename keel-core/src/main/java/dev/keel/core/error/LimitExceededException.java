package dev.keel.core.error;

import java.util.Map;

/**
 * A rate limit or budget stopped a request (HTTP 429). Carries how long to wait, when waiting
 * helps, and the {@code x-ratelimit-*} headers to send with the error.
 */
public final class LimitExceededException extends KeelException {

  private final Long retryAfterSeconds;
  private final Map<String, String> headers;

  /**
   * @param retryAfterSeconds seconds until the limit resets, or null when waiting will not help
   *     soon (a monthly budget, say)
   */
  public LimitExceededException(ErrorCode code, String message, Long retryAfterSeconds,
      Map<String, String> headers) {
    super(code, message);
    if (code.httpStatus() != 429) {
      throw new IllegalArgumentException("a limit error must be a 429 code: " + code);
    }
    this.retryAfterSeconds = retryAfterSeconds;
    this.headers = headers == null ? Map.of() : Map.copyOf(headers);
  }

  public Long retryAfterSeconds() {
    return retryAfterSeconds;
  }

  public Map<String, String> headers() {
    return headers;
  }
}
