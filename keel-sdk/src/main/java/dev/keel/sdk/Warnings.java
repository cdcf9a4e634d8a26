package dev.keel.sdk;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;

/**
 * Logs each kind of export problem once per client, so a failing Keel or a rejected event type
 * cannot flood the application's log.
 */
final class Warnings {

  private final Set<String> seen = ConcurrentHashMap.newKeySet();
  private final Logger log;

  Warnings(Logger log) {
    this.log = log;
  }

  void once(String kind, String format, Object... args) {
    if (seen.add(kind)) {
      log.warn(format, args);
    }
  }

  /** Text from a server or an exception, cut so a log line stays readable. */
  static String truncate(String text, int max) {
    if (text == null || text.length() <= max) {
      return text;
    }
    return text.substring(0, max) + "...";
  }
}
