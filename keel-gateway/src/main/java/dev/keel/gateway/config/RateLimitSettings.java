package dev.keel.gateway.config;

import java.util.Map;

/**
 * The {@code rate_limits:} section of keel.yaml. Virtual keys carry their own limits (set when
 * the key is created); these are for the master key and for deployments.
 *
 * @param masterKey requests and tokens per minute for the master key; null for none
 * @param deployments limits per deployment, keyed by the model name clients send or by
 *     {@code provider/model} (what the {@code x-keel-model} header shows)
 */
public record RateLimitSettings(Limit masterKey, Map<String, Limit> deployments) {

  public static final RateLimitSettings DEFAULT = new RateLimitSettings(null, null);

  public RateLimitSettings {
    deployments = deployments == null ? Map.of() : Map.copyOf(deployments);
  }

  /**
   * @param rpm requests per minute, or null for no limit
   * @param tpm tokens (prompt plus completion) per minute, or null for no limit
   */
  public record Limit(Long rpm, Long tpm) {

    public Limit {
      if (rpm != null && rpm <= 0) {
        throw new IllegalArgumentException("rpm must be positive: " + rpm);
      }
      if (tpm != null && tpm <= 0) {
        throw new IllegalArgumentException("tpm must be positive: " + tpm);
      }
    }
  }
}
