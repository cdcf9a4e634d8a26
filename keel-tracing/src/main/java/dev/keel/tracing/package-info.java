/**
 * Traces from applications: Langfuse-compatible batch ingestion, OpenTelemetry (OTLP) spans,
 * scores and score configs, sessions, retention.
 */
package dev.keel.tracing;
