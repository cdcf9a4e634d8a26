package dev.keel.sdk;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * The validated, frozen settings of a {@link KeelClient}; see the builder for each default.
 * Keys are kept here only to build the authorization header and are never logged.
 */
record ClientSettings(URI baseUrl, String publicKey, String secretKey, String environment,
    String release, int flushAt, Duration flushInterval, int maxQueueSize, int maxRetries,
    Duration retryBaseDelay, Duration requestTimeout, Duration closeTimeout,
    boolean shutdownHook, int maxBatchBytes, int maxEventBytes, Duration promptCacheTtl,
    int promptMaxRetries, Clock clock) {

  ClientSettings {
    Objects.requireNonNull(baseUrl, "baseUrl");
    Objects.requireNonNull(clock, "clock");
    positive("flushAt", flushAt);
    positive("maxQueueSize", maxQueueSize);
    positive("maxBatchBytes", maxBatchBytes);
    positive("maxEventBytes", maxEventBytes);
    if (maxRetries < 0) {
      throw new IllegalArgumentException("maxRetries must not be negative: " + maxRetries);
    }
    if (promptMaxRetries < 0) {
      throw new IllegalArgumentException(
          "promptMaxRetries must not be negative: " + promptMaxRetries);
    }
    positive("flushInterval", flushInterval);
    positive("retryBaseDelay", retryBaseDelay);
    positive("requestTimeout", requestTimeout);
    positive("closeTimeout", closeTimeout);
    if (promptCacheTtl == null || promptCacheTtl.isNegative()) {
      throw new IllegalArgumentException(
          "promptCacheTtl must not be negative: " + promptCacheTtl);
    }
    String scheme = baseUrl.getScheme();
    if (!"http".equals(scheme) && !"https".equals(scheme) || baseUrl.getHost() == null) {
      throw new IllegalArgumentException("baseUrl must be an http(s) URL: " + baseUrl);
    }
  }

  /** Whether keys are set; without them the client records nothing and says so once. */
  boolean exportEnabled() {
    return publicKey != null && !publicKey.isBlank() && secretKey != null
        && !secretKey.isBlank();
  }

  /** The base URL without a trailing slash, for appending API paths. */
  String base() {
    String s = baseUrl.toString();
    return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
  }

  private static void positive(String name, int value) {
    if (value <= 0) {
      throw new IllegalArgumentException(name + " must be positive: " + value);
    }
  }

  private static void positive(String name, Duration value) {
    if (value == null || value.isZero() || value.isNegative()) {
      throw new IllegalArgumentException(name + " must be positive: " + value);
    }
  }
}
