package dev.keel.gateway.auth;

import java.time.Instant;

/**
 * A stored key as it may be shown: never the secret, only its prefix and last characters.
 *
 * @param kind "master" or "virtual"
 * @param hint the key's prefix and its last four characters, such as {@code sk-keel-...wxYz}
 *     (the master key shows the prefix alone: nothing of it but its hash is stored)
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
