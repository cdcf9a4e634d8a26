package dev.keel.server.ui;

import dev.keel.store.UiSessionRecord;
import dev.keel.store.UiSessionStore;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Signed-in browsers, kept in the store so a restart signs nobody out and instances sharing a
 * database share sign-ins. The store holds only a SHA-256 of each session token; the CSRF token
 * is derived from the session token with a different prefix, so a copy of the table yields
 * neither. Sessions end {@link #TTL} after sign-in whatever the activity, or at sign-out.
 */
final class UiSessions {

  static final Duration TTL = Duration.ofHours(8);
  private static final SecureRandom RANDOM = new SecureRandom();
  // 32 random bytes, base64url without padding; anything else in the cookie is not ours.
  private static final int TOKEN_CHARS = 43;

  private final UiSessionStore store;
  private final Clock clock;

  UiSessions(UiSessionStore store, Clock clock) {
    this.store = store;
    this.clock = clock;
  }

  /** Signs in {@code who}; {@code username} is null for the master key. */
  UiSession create(String username, String who, String role) {
    String token = token();
    Instant now = clock.instant();
    var record = new UiSessionRecord(hash("session:", token), username, who, role, now,
        now.plus(TTL));
    store.create(record);
    return new UiSession(token, csrfOf(token), who, role, record.expiresAt());
  }

  Optional<UiSession> find(String token) {
    if (token == null || token.length() != TOKEN_CHARS) {
      return Optional.empty();
    }
    return store.find(hash("session:", token), clock.instant()).map(r ->
        new UiSession(token, csrfOf(token), r.who(), r.role(), r.expiresAt()));
  }

  void end(String token) {
    store.delete(hash("session:", token));
  }

  /** Signs out every browser of an account (it was deleted). */
  void endAllOf(String username) {
    store.deleteOf(username);
  }

  /** Compares in constant time, so the token cannot be guessed a character at a time. */
  static boolean csrfMatches(UiSession s, String given) {
    return given != null && MessageDigest.isEqual(s.csrf().getBytes(StandardCharsets.UTF_8),
        given.getBytes(StandardCharsets.UTF_8));
  }

  private static String csrfOf(String token) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(digest("csrf:", token));
  }

  private static String hash(String prefix, String token) {
    return HexFormat.of().formatHex(digest(prefix, token));
  }

  private static byte[] digest(String prefix, String token) {
    try {
      return MessageDigest.getInstance("SHA-256")
          .digest((prefix + token).getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  private static String token() {
    byte[] b = new byte[32];
    RANDOM.nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }
}
