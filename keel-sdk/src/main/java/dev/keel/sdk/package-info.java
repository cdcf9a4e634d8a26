/** Keel's Java SDK for applications: tracing, scores and prompt fetching. */
package dev.keel.sdk;
