package dev.keel.core.error;

/** An error with a code that decides its HTTP status and whether a retry can help. */
public class KeelException extends RuntimeException {

  private final ErrorCode code;
  private final String param;

  public KeelException(ErrorCode code, String message) {
    this(code, message, null, null);
  }

  public KeelException(ErrorCode code, String message, String param, Throwable cause) {
    super(message, cause);
    this.code = code;
    this.param = param;
  }

  public ErrorCode code() {
    return code;
  }

  /** The request field at fault, or null. */
  public String param() {
    return param;
  }
}
