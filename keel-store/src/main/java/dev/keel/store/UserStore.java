package dev.keel.store;

import java.util.List;
import java.util.Optional;

/** Web UI accounts at rest. */
public interface UserStore {

  /** Stores a new account; false when the username is taken. */
  boolean insert(UserRecord u);

  Optional<UserRecord> find(String username);

  /** Every account, by username. */
  List<UserRecord> list();

  /** Removes an account; false when there was none. */
  boolean delete(String username);
}
