package dev.keel.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** keel.yaml keys of reports' alerts, the semantic cache, prompt caching and cost_aware. */
class CostFeaturesConfigTest {

  @TempDir
  Path dir;

  @Test
  void load_everyKey_isReadUnderItsSnakeCaseName() throws Exception {
    KeelConfig c = load("""
        cache: {enabled: true, semantic: {enabled: true, threshold: 0.95}}
        prompt_caching: {anthropic: auto, min_tokens: 2048}
        alerts: {error_rate: 0.1, p95_latency_ms: 5000, window_seconds: 60, check_seconds: 10,
          min_calls: 5, webhook_url: "http://127.0.0.1:9/hook"}
        routing:
          routes:
            - name: smart
              strategy: cost_aware
              deployments: [{model: gpt-4o}, {model: gpt-4o-mini}]
              cost_aware: {max_easy_prompt_tokens: 200, max_easy_messages: 2,
                hard_keywords: [Contract]}
        """);

    assertThat(c.cache().semantic()).isEqualTo(new CacheConfig.Semantic(true, 0.95));
    assertThat(c.promptCaching()).isEqualTo(new PromptCachingConfig("auto", 2048));
    assertThat(c.alerts()).isEqualTo(new AlertSettings(0.1, 5000L, 60, 10, 5,
        "http://127.0.0.1:9/hook"));
    assertThat(c.routing().routes().get(0).costAware())
        .isEqualTo(new RoutingConfig.CostAware(200, 2, List.of("contract")));
  }

  @Test
  void load_yamlOff_isPromptCachingOff_andAnUnknownStrategyNamesTheChoices() throws Exception {
    assertThat(load("prompt_caching: {anthropic: off}\n").promptCaching().anthropicAuto())
        .isFalse();
    assertThatThrownBy(() -> load("routing: {routes: [{name: r, strategy: cheapest, "
        + "deployments: [{model: gpt-4o}]}]}\n"))
        .hasMessageContaining("weighted, lowest_latency, lowest_cost, least_busy or cost_aware: "
            + "cheapest");
  }

  @Test
  void load_costAwareQuality_readWithItsDefaults_andAMissingMetricOrBarIsNamed()
      throws Exception {
    String route = "routing: {routes: [{name: r, strategy: cost_aware, deployments: "
        + "[{model: gpt-4o}, {model: gpt-4o-mini}], cost_aware: {quality: %s}}]}\n";

    KeelConfig c = load(route.formatted("{metric: exact_match, min_score: 0.8}"));

    assertThat(c.routing().routes().get(0).costAware().quality()).isEqualTo(
        new RoutingConfig.Quality("exact_match", 0.8, 20, 30, 60));
    assertThat(RoutingConfig.CostAware.DEFAULT.quality()).isNull();
    assertThatThrownBy(() -> load(route.formatted("{min_score: 0.8}")))
        .hasMessageContaining("cost_aware.quality.metric is required");
    assertThatThrownBy(() -> load(route.formatted("{metric: exact_match}")))
        .hasMessageContaining("cost_aware.quality.min_score is required");
    assertThatThrownBy(() -> load(route.formatted(
        "{metric: exact_match, min_score: 0.8, refresh_seconds: 0}")))
        .hasMessageContaining("refresh_seconds must be between 1 and 86400: 0");
  }

  private KeelConfig load(String yaml) throws Exception {
    Path f = Files.createTempFile(dir, "keel", ".yaml");
    Files.writeString(f, yaml);
    return KeelConfig.load(f);
  }
}
