package dev.keel.core.error;

/** Every error Keel reports, with its category and HTTP status, defined in one place. */
public enum ErrorCode {
  INVALID_REQUEST(ErrorCategory.USER, 400, "invalid_request_error"),
  INVALID_JSON(ErrorCategory.USER, 400, "invalid_request_error"),
  UNAUTHORIZED(ErrorCategory.USER, 401, "authentication_error"),
  FORBIDDEN(ErrorCategory.USER, 403, "permission_error"),
  NOT_FOUND(ErrorCategory.USER, 404, "not_found_error"),
  MODEL_NOT_FOUND(ErrorCategory.USER, 404, "not_found_error"),
  METHOD_NOT_ALLOWED(ErrorCategory.USER, 405, "invalid_request_error"),
  BODY_TOO_LARGE(ErrorCategory.USER, 413, "request_too_large"),
  RATE_LIMITED(ErrorCategory.RESOURCES, 429, "rate_limit_error"),
  BUDGET_EXCEEDED(ErrorCategory.RESOURCES, 429, "budget_exceeded"),
  UPSTREAM_ERROR(ErrorCategory.EXTERNAL, 502, "upstream_error"),
  UPSTREAM_TIMEOUT(ErrorCategory.EXTERNAL, 504, "timeout_error"),
  OUTPUT_SCHEMA_MISMATCH(ErrorCategory.EXTERNAL, 502, "upstream_error"),
  INTERNAL(ErrorCategory.INTERNAL, 500, "internal_error");

  private final ErrorCategory category;
  private final int httpStatus;
  private final String type;

  ErrorCode(ErrorCategory category, int httpStatus, String type) {
    this.category = category;
    this.httpStatus = httpStatus;
    this.type = type;
  }

  public ErrorCategory category() {
    return category;
  }

  public int httpStatus() {
    return httpStatus;
  }

  /** The error {@code type} string clients see. */
  public String type() {
    return type;
  }
}
