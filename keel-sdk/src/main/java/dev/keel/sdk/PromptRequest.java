package dev.keel.sdk;

import java.time.Duration;

/**
 * Which prompt version to fetch and how: {@code PromptRequest.of("support").label("staging")
 * .cacheTtl(Duration.ofSeconds(10)).fallback(TextPrompt.fallback("support", "..."))}.
 *
 * @param name the prompt's name
 * @param label the label to resolve, or null
 * @param version the version to fetch, or null; with neither, label {@code production}
 * @param cacheTtl how long a fetched copy is fresh, or null for the client's setting; zero
 *     fetches every time (still serving the cached copy if the fetch fails)
 * @param fallback served when Keel cannot be reached and nothing is cached, or null
 */
public record PromptRequest(String name, String label, Integer version, Duration cacheTtl,
    Prompt fallback) {

  /** Validates the name and that label and version are not both set. */
  public PromptRequest {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("name must not be blank: " + name);
    }
    if (label != null && version != null) {
      throw new IllegalArgumentException(
          "give a label or a version, not both: " + label + ", " + version);
    }
    if (version != null && version < 1) {
      throw new IllegalArgumentException("version must be positive: " + version);
    }
    if (cacheTtl != null && cacheTtl.isNegative()) {
      throw new IllegalArgumentException("cacheTtl must not be negative: " + cacheTtl);
    }
  }

  /** The {@code production} version of {@code name}. */
  public static PromptRequest of(String name) {
    return new PromptRequest(name, null, null, null, null);
  }

  /** The version carrying {@code l}. */
  public PromptRequest label(String l) {
    return new PromptRequest(name, l, null, cacheTtl, fallback);
  }

  /** Version {@code v}. */
  public PromptRequest version(int v) {
    return new PromptRequest(name, null, v, cacheTtl, fallback);
  }

  /** A time to live for this request's cache entry. */
  public PromptRequest cacheTtl(Duration ttl) {
    return new PromptRequest(name, label, version, ttl, fallback);
  }

  /** A prompt to serve when Keel is unreachable and nothing is cached. */
  public PromptRequest fallback(Prompt prompt) {
    return new PromptRequest(name, label, version, cacheTtl, prompt);
  }

  /** The cache key: name with its label or version, as Langfuse's SDKs key it. */
  String cacheKey() {
    if (version != null) {
      return name + "-version:" + version;
    }
    return name + "-label:" + (label == null ? "production" : label);
  }
}
