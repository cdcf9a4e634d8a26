package dev.keel.simulator;

import java.util.Map;
import java.util.Objects;

/**
 * One {@code [[sim ...]]} block found in a message.
 *
 * @param text the block exactly as written; with model and key it names a {@code times=N} counter
 * @param values its keys in order of appearance; a bare word such as {@code usage} maps to "true"
 */
record Directive(String text, Map<String, String> values) {

  Directive {
    Objects.requireNonNull(text, "text");
    values = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(values));
  }

  boolean has(String key) {
    return values.containsKey(key);
  }

  String get(String key) {
    return values.get(key);
  }
}
