package dev.keel.store;

import java.time.Instant;
import java.util.Objects;

/**
 * A signed-in web UI browser at rest.
 *
 * @param tokenHash the SHA-256 of the session token (hex), never the token itself
 * @param username the account that signed in, or null for the master key
 * @param who what signed in, as the UI shows it ("master key" or the username)
 * @param role admin, member or viewer
 * @param expiresAt when the session stops working
 */
public record UiSessionRecord(String tokenHash, String username, String who, String role,
    Instant createdAt, Instant expiresAt) {

  public UiSessionRecord {
    if (tokenHash == null || tokenHash.length() != 64) {
      throw new IllegalArgumentException("tokenHash must be 64 hex digits: " + tokenHash);
    }
    Objects.requireNonNull(who, "who");
    if (!UserRecord.ROLES.contains(role)) {
      throw new IllegalArgumentException("role must be admin, member or viewer: " + role);
    }
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(expiresAt, "expiresAt");
  }
}
