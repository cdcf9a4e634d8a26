package dev.keel.server.ui;

import java.time.Instant;
import java.util.Objects;

/**
 * A signed-in browser.
 *
 * @param id the secret cookie value
 * @param csrf the token every state-changing request must carry
 * @param who what signed in, shown in the header ("master key")
 * @param role admin, member or viewer; only a viewer may not change anything
 * @param expiresAt when the session stops working, however active it is
 */
record UiSession(String id, String csrf, String who, String role, Instant expiresAt) {

  UiSession {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(csrf, "csrf");
    Objects.requireNonNull(expiresAt, "expiresAt");
    if (!"admin".equals(role) && !"member".equals(role) && !"viewer".equals(role)) {
      throw new IllegalArgumentException("role must be admin, member or viewer: " + role);
    }
  }

  boolean canChange() {
    return !"viewer".equals(role);
  }

  /** Whether this session's role is {@code least} or above (viewer < member < admin). */
  boolean may(String least) {
    return rank(role) >= rank(least);
  }

  boolean isAdmin() {
    return "admin".equals(role);
  }

  private static int rank(String r) {
    return switch (r) {
      case "admin" -> 2;
      case "member" -> 1;
      default -> 0;
    };
  }
}
