package dev.keel.core.trace;

/** Severity of an observation, as Langfuse names it. */
public enum Level {
  DEBUG, DEFAULT, WARNING, ERROR
}
