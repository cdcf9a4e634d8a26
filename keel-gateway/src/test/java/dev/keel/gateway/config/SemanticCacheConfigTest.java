package dev.keel.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SemanticCacheConfigTest {

  @Test
  void defaults_semanticOffWithThreshold092() {
    CacheConfig.Semantic s = KeelConfig.EMPTY.cache().semantic();

    assertThat(s.enabled()).isFalse();
    assertThat(s.threshold()).isEqualTo(0.92);
  }

  @Test
  void semanticWithoutTheCache_failsSayingWhatItNeeds() {
    assertThatThrownBy(() -> new CacheConfig(null, null, null, null,
        new CacheConfig.Semantic(true, null)))
        .hasMessageStartingWith("cache.semantic.enabled needs cache.enabled: true");
  }

  @Test
  void thresholdOutOfRange_failsNamingIt() {
    assertThatThrownBy(() -> new CacheConfig.Semantic(true, 1.5))
        .hasMessage("cache.semantic.threshold must be above 0 and at most 1: 1.5");
  }
}
