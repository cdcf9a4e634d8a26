package dev.keel.server.ui;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Slows password and key guessing: after {@link #MAX_FAILURES} failed sign-ins from one address
 * within {@link #WINDOW}, that address is refused until the oldest failure leaves the window.
 * Refused attempts are not checked at all, which also keeps them from spending PBKDF2 time.
 */
final class SignInThrottle {

  static final int MAX_FAILURES = 10;
  static final Duration WINDOW = Duration.ofMinutes(5);
  /** Addresses tracked at most; past it the oldest entries are dropped wholesale. */
  private static final int MAX_ADDRESSES = 10_000;

  private final Map<String, Deque<Instant>> failures = new ConcurrentHashMap<>();
  private final Clock clock;

  SignInThrottle(Clock clock) {
    this.clock = clock;
  }

  /** Seconds to wait before {@code address} may try again; 0 when it may try now. */
  long waitSeconds(String address) {
    Deque<Instant> d = failures.get(address);
    if (d == null) {
      return 0;
    }
    synchronized (d) {
      Instant now = clock.instant();
      while (!d.isEmpty() && !d.peekFirst().plus(WINDOW).isAfter(now)) {
        d.pollFirst();
      }
      return d.size() < MAX_FAILURES ? 0
          : Math.max(1, Duration.between(now, d.peekFirst().plus(WINDOW)).toSeconds());
    }
  }

  void failed(String address) {
    if (failures.size() > MAX_ADDRESSES) {
      failures.clear();
    }
    Deque<Instant> d = failures.computeIfAbsent(address, k -> new ArrayDeque<>());
    synchronized (d) {
      d.addLast(clock.instant());
      while (d.size() > MAX_FAILURES) {
        d.pollFirst();
      }
    }
  }

  void succeeded(String address) {
    failures.remove(address);
  }
}
