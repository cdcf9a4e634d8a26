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
 * @param semantic also answer requests whose last user message means the same as a cached one
 */
public record CacheConfig(Boolean enabled, Integer ttlSeconds, Integer maxEntries,
    String scope, Semantic semantic) {

  public static final CacheConfig DEFAULT = new CacheConfig(null, null, null, null);

  /** Without a semantic section: exact matches only. */
  public CacheConfig(Boolean enabled, Integer ttlSeconds, Integer maxEntries, String scope) {
    this(enabled, ttlSeconds, maxEntries, scope, null);
  }

  public CacheConfig {
    enabled = enabled != null && enabled;
    ttlSeconds = ttlSeconds == null ? 3600 : ttlSeconds;
    maxEntries = maxEntries == null ? 10_000 : maxEntries;
    scope = scope == null ? "key" : scope;
    semantic = semantic == null ? Semantic.DEFAULT : semantic;
    if (ttlSeconds <= 0) {
      throw new IllegalArgumentException("cache.ttl_seconds must be positive: " + ttlSeconds);
    }
    if (maxEntries <= 0) {
      throw new IllegalArgumentException("cache.max_entries must be positive: " + maxEntries);
    }
    if (!scope.equals("key") && !scope.equals("project")) {
      throw new IllegalArgumentException("cache.scope must be key or project: " + scope);
    }
    if (semantic.enabled() && !enabled) {
      throw new IllegalArgumentException("cache.semantic.enabled needs cache.enabled: true "
          + "(the semantic cache shares its TTL, size and scope)");
    }
  }

  /**
   * The semantic cache: {@code cache: {semantic: {...}}}.
   *
   * @param enabled off by default
   * @param threshold the cosine similarity of all-MiniLM-L6-v2 embeddings at or above which
   *     two last user messages count as the same question (default 0.92: paraphrases match,
   *     questions differing in one number or name often do too, so lower it with care)
   */
  public record Semantic(Boolean enabled, Double threshold) {

    public static final Semantic DEFAULT = new Semantic(null, null);

    public Semantic {
      enabled = enabled != null && enabled;
      threshold = threshold == null ? 0.92 : threshold;
      if (threshold <= 0 || threshold > 1) {
        throw new IllegalArgumentException(
            "cache.semantic.threshold must be above 0 and at most 1: " + threshold);
      }
    }
  }
}
