package dev.keel.store;

import java.time.Instant;
import java.util.Optional;

/**
 * The state of each health alert, shared by every instance on the store, so that a cluster
 * sends each alert once.
 */
public interface AlertStore {

  /** The alert's state ({@code firing} or {@code resolved}); empty when it never changed. */
  Optional<String> state(String alert);

  /**
   * Moves the alert from {@code from} to {@code to} when it is in {@code from} (a missing row
   * counts as {@code resolved}) and last changed no later than {@code changedBefore}. True for
   * exactly one of several instances trying the same move at once: the one that should send.
   */
  boolean transition(String alert, String from, String to, Instant now, Instant changedBefore);
}
