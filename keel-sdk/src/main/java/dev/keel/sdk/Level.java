package dev.keel.sdk;

/** Severity of an observation, as Langfuse names it. */
public enum Level {
  DEBUG, DEFAULT, WARNING, ERROR
}
