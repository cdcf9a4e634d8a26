package dev.keel.gateway.config;

/**
 * Provider prompt caching: the {@code prompt_caching:} section of keel.yaml.
 *
 * @param anthropic {@code off} (default: requests are forwarded as sent) or {@code auto}: Keel
 *     marks the long stable prefix of Anthropic requests (tools, system prompt) with
 *     {@code cache_control} so the provider reads it from its cache on the next call
 * @param minTokens the estimated size a prefix must reach to be marked (default 1024, the
 *     smallest prefix Anthropic caches for most models; smaller marks are ignored by it)
 */
public record PromptCachingConfig(String anthropic, Integer minTokens) {

  public static final PromptCachingConfig DEFAULT = new PromptCachingConfig(null, null);

  public PromptCachingConfig {
    anthropic = anthropic == null ? "off" : anthropic.strip().toLowerCase();
    // YAML reads a bare off as the boolean false.
    anthropic = anthropic.equals("false") ? "off" : anthropic;
    minTokens = minTokens == null ? 1024 : minTokens;
    if (!anthropic.equals("off") && !anthropic.equals("auto")) {
      throw new IllegalArgumentException("prompt_caching.anthropic must be off or auto: "
          + anthropic);
    }
    if (minTokens <= 0) {
      throw new IllegalArgumentException("prompt_caching.min_tokens must be positive: "
          + minTokens);
    }
  }

  /** Whether Anthropic requests get cache marks. */
  public boolean anthropicAuto() {
    return anthropic.equals("auto");
  }
}
