package dev.keel.store;

import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/**
 * A web UI account.
 *
 * @param username unique, 1 to 64 characters
 * @param role admin, member or viewer
 * @param passwordHash the encoded salted hash (never the password)
 */
public record UserRecord(String username, String role, String passwordHash, Instant createdAt) {

  /** The roles an account can have. */
  public static final Set<String> ROLES = Set.of("admin", "member", "viewer");

  public UserRecord {
    if (username == null || username.isBlank() || username.length() > 64) {
      throw new IllegalArgumentException("username must be 1 to 64 characters: " + username);
    }
    if (!ROLES.contains(role)) {
      throw new IllegalArgumentException("role must be admin, member or viewer: " + role);
    }
    Objects.requireNonNull(passwordHash, "passwordHash");
    Objects.requireNonNull(createdAt, "createdAt");
  }

  @Override
  public String toString() {
    return "UserRecord[username=" + username + ", role=" + role + "]";
  }
}
