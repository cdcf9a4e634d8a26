package dev.keel.tracing.ingest;

/**
 * An event (or a score sent alone) that cannot be stored, with the status Langfuse reports for
 * it: 400 invalid, 401 outside the key's scope, 404 a named resource is missing.
 */
public final class InvalidEvent extends RuntimeException {

  private final int status;

  public InvalidEvent(int status, String message) {
    super(message, null, false, false);
    this.status = status;
  }

  public static InvalidEvent badRequest(String message) {
    return new InvalidEvent(400, message);
  }

  public int status() {
    return status;
  }
}
