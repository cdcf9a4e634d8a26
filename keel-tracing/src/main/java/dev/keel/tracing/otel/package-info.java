/**
 * OpenTelemetry ingestion: OTLP/HTTP trace exports (protobuf or JSON, optionally gzipped) turned
 * into Keel traces and observations, following Langfuse's span mapping (the {@code langfuse.*}
 * attributes) and the OpenTelemetry GenAI semantic conventions ({@code gen_ai.*}).
 *
 * <p>{@link dev.keel.tracing.otel.OtelIngestor} is the entry point; everything else is
 * package-private.
 */
package dev.keel.tracing.otel;
