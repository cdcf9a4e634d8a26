package dev.keel.providers;

import java.util.List;
import java.util.Map;

/** Case-insensitive header look-up over the JDK's header maps. */
final class Headers {

  private Headers() {
  }

  static String first(Map<String, List<String>> headers, String name) {
    for (var e : headers.entrySet()) {
      if (e.getKey().equalsIgnoreCase(name) && !e.getValue().isEmpty()) {
        return e.getValue().get(0);
      }
    }
    return null;
  }

  static boolean has(Map<String, String> headers, String name) {
    return headers.keySet().stream().anyMatch(k -> k.equalsIgnoreCase(name));
  }
}
