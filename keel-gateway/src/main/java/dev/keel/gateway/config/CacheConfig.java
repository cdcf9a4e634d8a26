package dev.keel.gateway.config;

/**
 * The exact-match response cache: the {@code cache:} section of keel.yaml.
 *
 * @param enabled off by default: a cached answer is not a fresh sample, which not every
 *     application wants
 * @param ttlSeconds how long an answer is served from the cache
 * @param maxEntries most answers kept (least recently used go first)
 * @param scope {@code key} (default: one cache per API key, so nothing crosses tenants) or
 *     {@code project}
 */
public record CacheConfig(Boolean enabled, Integer ttlSeconds, Integer maxEntries,
    String scope) {

  public static final CacheConfig DEFAULT = new CacheConfig(null, null, null, null);

  public CacheConfig {
    enabled = enabled != null && enabled;
    ttlSeconds = ttlSeconds == null ? 3600 : ttlSeconds;
    maxEntries = maxEntries == null ? 10_000 : maxEntries;
    scope = scope == null ? "key" : scope;
    if (ttlSeconds <= 0) {
      throw new IllegalArgumentException("cache.ttl_seconds must be positive: " + ttlSeconds);
    }
    if (maxEntries <= 0) {
      throw new IllegalArgumentException("cache.max_entries must be positive: " + maxEntries);
    }
    if (!scope.equals("key") && !scope.equals("project")) {
      throw new IllegalArgumentException("cache.scope must be key or project: " + scope);
    }
  }
}
