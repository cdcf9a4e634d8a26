package dev.keel.sdk;

/**
 * A prompt could not be fetched and there was neither a cached copy nor a fallback to serve.
 */
public final class PromptException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final int status;

  PromptException(String message, int status, Throwable cause) {
    super(message, cause);
    this.status = status;
  }

  /** Keel's HTTP status (404 when no version matches), or 0 when Keel was not reached. */
  public int status() {
    return status;
  }
}
