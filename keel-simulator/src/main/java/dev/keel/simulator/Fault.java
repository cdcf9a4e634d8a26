package dev.keel.simulator;

import java.util.Locale;

/** A failure the simulator can stage, by its directive and scenario name. */
enum Fault {
  NONE("none"),
  RATE_LIMIT("429"),
  SERVER_ERROR("500"),
  UNAVAILABLE("503"),
  TIMEOUT("timeout"),
  DISCONNECT("disconnect"),
  MALFORMED("malformed"),
  CONTEXT_LENGTH("context_length"),
  CONTENT_POLICY("content_policy");

  private final String wireName;

  Fault(String wireName) {
    this.wireName = wireName;
  }

  String wireName() {
    return wireName;
  }

  static Fault parse(String name) {
    String n = name.toLowerCase(Locale.ROOT);
    for (Fault f : values()) {
      if (f.wireName.equals(n)) {
        return f;
      }
    }
    throw new InvalidDirectiveException("unknown fault: " + name
        + " (expected 429, 500, 503, timeout, disconnect, malformed, context_length or"
        + " content_policy)");
  }
}
