package dev.keel.server.ui;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Signed-in browsers, held in memory: a restart signs everyone out, which is the price of not
 * storing session secrets. Sessions end {@link #TTL} after sign-in whatever the activity.
 */
final class UiSessions {

  static final Duration TTL = Duration.ofHours(8);
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Map<String, UiSession> sessions = new ConcurrentHashMap<>();
  private final Clock clock;

  UiSessions(Clock clock) {
    this.clock = clock;
  }

  UiSession create(String who, String role) {
    Instant now = clock.instant();
    sessions.values().removeIf(s -> !s.expiresAt().isAfter(now));
    var s = new UiSession(token(), token(), who, role, now.plus(TTL));
    sessions.put(s.id(), s);
    return s;
  }

  Optional<UiSession> find(String id) {
    if (id == null || id.isEmpty()) {
      return Optional.empty();
    }
    UiSession s = sessions.get(id);
    if (s == null) {
      return Optional.empty();
    }
    if (!s.expiresAt().isAfter(clock.instant())) {
      sessions.remove(id);
      return Optional.empty();
    }
    return Optional.of(s);
  }

  void end(String id) {
    sessions.remove(id);
  }

  /** Compares in constant time, so the token cannot be guessed a character at a time. */
  static boolean csrfMatches(UiSession s, String given) {
    return given != null && MessageDigest.isEqual(s.csrf().getBytes(), given.getBytes());
  }

  private static String token() {
    byte[] b = new byte[32];
    RANDOM.nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }
}
