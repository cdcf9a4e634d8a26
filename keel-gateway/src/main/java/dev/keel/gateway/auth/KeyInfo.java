package dev.keel.gateway.auth;

import java.time.Instant;

/**
 * A stored key as it may be shown: never the secret, only its start and last characters.
 *
 * @param kind "master" or "virtual"
 * @param hint the key's prefix, its first random characters and its last four, such as
 *     {@code sk-keel-Ab12Cd34...wxYz}
 * @param expiresAt null when it never expires
 * @param revokedAt null while active
 */
public record KeyInfo(String id, String kind, String hint, KeySettings settings,
    Instant createdAt, Instant expiresAt, Instant revokedAt) {

  /** "active", "expired" or "revoked" at {@code now}. */
  public String status(Instant now) {
    if (revokedAt != null) {
      return "revoked";
    }
    return expiresAt != null && !expiresAt.isAfter(now) ? "expired" : "active";
  }
}
