package dev.keel.simulator;

/**
 * An error answer before each wire renders it in its provider's shape.
 *
 * @param kind which error, which fixes the status and the provider's type and code
 * @param message human-readable message, provider-flavoured
 * @param param OpenAI's {@code param}, or null
 */
record ApiError(Kind kind, String message, String param) {

  /** Error kinds with their status, OpenAI type and code, and Anthropic type. */
  enum Kind {
    UNAUTHORIZED(401, "invalid_request_error", "invalid_api_key", "authentication_error"),
    NOT_FOUND(404, "invalid_request_error", "model_not_found", "not_found_error"),
    INVALID(400, "invalid_request_error", null, "invalid_request_error"),
    RATE_LIMITED(429, "requests", "rate_limit_exceeded", "rate_limit_error"),
    SERVER(500, "server_error", null, "api_error"),
    UNAVAILABLE(503, "server_error", null, "overloaded_error"),
    CONTEXT_LENGTH(400, "invalid_request_error", "context_length_exceeded",
        "invalid_request_error"),
    CONTENT_POLICY(400, "invalid_request_error", "content_policy_violation",
        "invalid_request_error");

    final int status;
    final String openAiType;
    final String openAiCode;
    final String anthropicType;

    Kind(int status, String openAiType, String openAiCode, String anthropicType) {
      this.status = status;
      this.openAiType = openAiType;
      this.openAiCode = openAiCode;
      this.anthropicType = anthropicType;
    }
  }

  static ApiError of(Kind kind, String message) {
    return new ApiError(kind, message, null);
  }
}
