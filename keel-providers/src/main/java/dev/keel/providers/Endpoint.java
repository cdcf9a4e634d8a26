package dev.keel.providers;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * Where and how to reach one upstream provider.
 *
 * <p>OpenAI-compatible base URLs include {@code /v1} (as {@code OPENAI_BASE_URL} does);
 * Anthropic base URLs do not (as {@code ANTHROPIC_BASE_URL}). {@link #uri(String)} accepts a
 * path with or without {@code /v1} and resolves it correctly for either.
 *
 * @param provider a name for messages and traces: "openai", "anthropic" or a custom one
 * @param format the wire format the upstream speaks
 * @param baseUrl the base URL, for example {@code http://127.0.0.1:4010/v1}
 * @param apiKey the upstream key, or null; never shown by {@link #toString()}
 * @param timeout bounds the wait for response headers and, for streams, for each read
 * @param extraHeaders headers sent on every request (for example anthropic-version/-beta)
 */
public record Endpoint(String provider, WireFormat format, URI baseUrl, String apiKey,
    Duration timeout, Map<String, String> extraHeaders) {

  public Endpoint {
    Objects.requireNonNull(provider, "provider");
    Objects.requireNonNull(format, "format");
    Objects.requireNonNull(baseUrl, "baseUrl");
    Objects.requireNonNull(timeout, "timeout");
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be positive: " + timeout);
    }
    String scheme = baseUrl.getScheme();
    if (!"http".equals(scheme) && !"https".equals(scheme)) {
      throw new IllegalArgumentException("baseUrl must be http or https: " + baseUrl);
    }
    extraHeaders = extraHeaders == null ? Map.of() : Map.copyOf(extraHeaders);
  }

  /**
   * The full URI of {@code path}. For OpenAI a leading {@code /v1} is dropped because the base
   * URL already ends with it; for Anthropic one is added when missing.
   */
  public URI uri(String path) {
    String p = path.startsWith("/") ? path : "/" + path;
    if (format == WireFormat.OPENAI && p.startsWith("/v1/")) {
      p = p.substring(3);
    } else if (format == WireFormat.ANTHROPIC && !p.startsWith("/v1/")) {
      p = "/v1" + p;
    }
    String base = baseUrl.toString();
    base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    return URI.create(base + p);
  }

  @Override
  public String toString() {
    return "Endpoint[provider=" + provider + ", format=" + format + ", baseUrl=" + baseUrl
        + ", apiKey=" + (apiKey == null ? "none" : "***") + ", timeout=" + timeout
        + ", extraHeaders=" + extraHeaders.keySet() + "]";
  }
}
