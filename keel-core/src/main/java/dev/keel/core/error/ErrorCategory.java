package dev.keel.core.error;

/** Who is at fault for an error; decides the HTTP status family and whether a retry may help. */
public enum ErrorCategory {
  /** The caller sent something wrong (4xx). Retrying the same request will not help. */
  USER,
  /** Keel itself failed (500). */
  INTERNAL,
  /** An upstream provider failed (502/504). A retry or fallback may help. */
  EXTERNAL,
  /** A limit or budget was reached (429). Waiting may help. */
  RESOURCES
}
