package dev.keel.simulator;

import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;

/** Reads the caller's key from {@code Authorization: Bearer} or {@code x-api-key}. */
final class ApiKeys {

  static final HeaderName X_API_KEY = HeaderNames.create("x-api-key");
  static final HeaderName ANTHROPIC_VERSION = HeaderNames.create("anthropic-version");

  private ApiKeys() {}

  /** The key, or null when the request carries none. */
  static String of(ServerRequest req) {
    String key = req.headers().first(X_API_KEY).orElse(null);
    if (key != null && !key.isBlank()) {
      return key.strip();
    }
    String auth = req.headers().first(HeaderNames.AUTHORIZATION).orElse("");
    if (auth.regionMatches(true, 0, "Bearer ", 0, 7) && !auth.substring(7).isBlank()) {
      return auth.substring(7).strip();
    }
    return null;
  }
}
