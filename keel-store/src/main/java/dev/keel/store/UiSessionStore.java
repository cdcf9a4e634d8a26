package dev.keel.store;

import java.time.Instant;
import java.util.Optional;

/** Web UI sign-in sessions at rest, found by the hash of their token. */
public interface UiSessionStore {

  /** Stores a new session, first removing every expired one. */
  void create(UiSessionRecord s);

  /** The session with this token hash, if it exists and has not expired at {@code now}. */
  Optional<UiSessionRecord> find(String tokenHash, Instant now);

  /** Ends a session (sign-out); false when there was none. */
  boolean delete(String tokenHash);

  /** Ends every session of an account (when it is deleted); returns how many. */
  int deleteOf(String username);
}
