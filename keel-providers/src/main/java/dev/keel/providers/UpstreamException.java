package dev.keel.providers;

import dev.keel.core.error.ErrorCode;
import dev.keel.core.error.KeelException;
import java.time.Duration;
import java.util.Objects;

/**
 * An upstream call that failed, classified by {@link Kind} so retries and fallbacks can decide
 * what to do. The message names the provider and status, never the key.
 */
public final class UpstreamException extends KeelException {

  /** What went wrong upstream. */
  public enum Kind {
    RATE_LIMIT(true), SERVER_ERROR(true), TIMEOUT(true), CONNECTION(true),
    CONTEXT_WINDOW(false), CONTENT_POLICY(false), BAD_REQUEST(false), AUTH(false),
    NOT_FOUND(false), MALFORMED_RESPONSE(true), DISCONNECTED(true);

    private final boolean retriable;

    Kind(boolean retriable) {
      this.retriable = retriable;
    }

    /** Whether the same request may succeed when tried again (here or elsewhere). */
    public boolean retriable() {
      return retriable;
    }
  }

  private final Kind kind;
  private final String provider;
  private final int upstreamStatus;
  private final Duration retryAfter;
  private final String upstreamBody;

  /**
   * @param provider the provider name, for the message
   * @param upstreamStatus the HTTP status, or 0 when none was received
   * @param retryAfter the wait the provider asked for, or null
   * @param upstreamBody the provider's error body (truncated, key redacted), or null
   */
  public UpstreamException(Kind kind, String provider, int upstreamStatus, Duration retryAfter,
      String upstreamBody, String message, Throwable cause) {
    super(kind == Kind.TIMEOUT ? ErrorCode.UPSTREAM_TIMEOUT : ErrorCode.UPSTREAM_ERROR,
        message, null, cause);
    this.kind = Objects.requireNonNull(kind, "kind");
    this.provider = Objects.requireNonNull(provider, "provider");
    this.upstreamStatus = upstreamStatus;
    this.retryAfter = retryAfter;
    this.upstreamBody = upstreamBody;
  }

  /** A broken body from an upstream not named at the point of parsing. */
  static UpstreamException malformed(String message) {
    return new UpstreamException(Kind.MALFORMED_RESPONSE, "upstream", 0, null, null, message,
        null);
  }

  public Kind kind() {
    return kind;
  }

  public String provider() {
    return provider;
  }

  /** The upstream HTTP status, or 0 when the failure came before or outside a status. */
  public int upstreamStatus() {
    return upstreamStatus;
  }

  /** How long the provider asked callers to wait, or null. */
  public Duration retryAfter() {
    return retryAfter;
  }

  /** The provider's error body, truncated to about 1 KB, or null. */
  public String upstreamBody() {
    return upstreamBody;
  }

  public boolean retriable() {
    return kind.retriable();
  }
}
