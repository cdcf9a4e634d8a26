package dev.keel.simulator;

import com.fasterxml.jackson.databind.ObjectMapper;

/** The simulator's one JSON mapper; thread-safe once built. */
final class Json {

  static final ObjectMapper MAPPER = new ObjectMapper();

  private Json() {}
}
