package dev.keel.gateway.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keel.core.error.ErrorCode;
import dev.keel.core.error.KeelException;
import dev.keel.gateway.config.KeelConfig;
import dev.keel.providers.Endpoint;
import dev.keel.providers.WireFormat;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ModelRouterTest {

  private static final Endpoint OPENAI = new Endpoint("openai", WireFormat.OPENAI,
      URI.create("http://127.0.0.1:1/v1"), "k1", Duration.ofSeconds(5), Map.of());
  private static final Endpoint ANTHROPIC = new Endpoint("anthropic", WireFormat.ANTHROPIC,
      URI.create("http://127.0.0.1:2"), "k2", Duration.ofSeconds(5), Map.of());
  private static final Endpoint LOCAL = new Endpoint("local", WireFormat.OPENAI,
      URI.create("http://127.0.0.1:3/v1"), null, Duration.ofSeconds(5), Map.of());

  @Test
  void resolve_claudeName_goesToAnthropic() {
    var router = router(KeelConfig.EMPTY);

    Deployment d = router.resolve("claude-3-5-haiku-20241022");

    assertThat(d.provider()).isEqualTo("anthropic");
    assertThat(d.upstreamModel()).isEqualTo("claude-3-5-haiku-20241022");
    assertThat(d.label()).isEqualTo("anthropic/claude-3-5-haiku-20241022");
  }

  @Test
  void resolve_otherName_goesToOpenAi() {
    assertThat(router(KeelConfig.EMPTY).resolve("llama3").provider()).isEqualTo("openai");
  }

  @Test
  void resolve_providerPrefix_picksThatProviderAndStripsIt() {
    Deployment d = router(KeelConfig.EMPTY).resolve("local/llama3.1:8b");

    assertThat(d.provider()).isEqualTo("local");
    assertThat(d.upstreamModel()).isEqualTo("llama3.1:8b");
  }

  @Test
  void resolve_declaredModel_usesItsProviderModelAndTimeout() {
    var config = KeelConfig.ofModels(List.of(new KeelConfig.ModelSpec("fast", "anthropic",
        "claude-3-5-haiku-20241022", 7, null)));

    Deployment d = router(config).resolve("fast");

    assertThat(d.provider()).isEqualTo("anthropic");
    assertThat(d.upstreamModel()).isEqualTo("claude-3-5-haiku-20241022");
    assertThat(d.endpoint().timeout()).isEqualTo(Duration.ofSeconds(7));
  }

  @Test
  void resolve_providerNotConfigured_is404NamingTheVariable() {
    var router = new ModelRouter(Map.of("openai", OPENAI), KeelConfig.EMPTY, Set.of(), List.of());

    assertThatThrownBy(() -> router.resolve("claude-3-opus"))
        .isInstanceOfSatisfying(KeelException.class, e -> {
          assertThat(e.code()).isEqualTo(ErrorCode.MODEL_NOT_FOUND);
          assertThat(e.param()).isEqualTo("model");
        })
        .hasMessageContaining("claude-3-opus").hasMessageContaining("ANTHROPIC_API_KEY");
  }

  @Test
  void resolve_simulatorUnknownModel_is404ListingItsModels() {
    var router = new ModelRouter(Map.of("openai", OPENAI, "anthropic", ANTHROPIC),
        KeelConfig.EMPTY, Set.of("openai", "anthropic"), List.of("gpt-4o", "gpt-4o-mini"));

    assertThatThrownBy(() -> router.resolve("gpt-9")).isInstanceOf(KeelException.class)
        .hasMessageContaining("gpt-9").hasMessageContaining("gpt-4o-mini");
    assertThat(router.resolve("gpt-4o").simulated()).isTrue();
  }

  @Test
  void construct_modelWithUnknownProvider_failsAtStart() {
    var config = KeelConfig.ofModels(List.of(new KeelConfig.ModelSpec("x", "nowhere", null,
        null, null)));

    assertThatThrownBy(() -> router(config)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("models[x].provider names an unknown provider: nowhere");
  }

  @Test
  void endpoint_apiKeyEnvUnset_failsAtStart() {
    var spec = new KeelConfig.ProviderSpec("p", "openai", "http://127.0.0.1:9/v1", "NOPE_KEY",
        null, null);

    assertThatThrownBy(() -> ModelRouter.endpoint(spec, Map.of(), Duration.ofSeconds(1)))
        .hasMessageContaining("NOPE_KEY");
  }

  @Test
  void resolve_prefixOfAWellKnownProviderNotConfigured_is404NotADetour() {
    var router = new ModelRouter(Map.of("openai", OPENAI), KeelConfig.EMPTY, Set.of(), List.of());

    assertThatThrownBy(() -> router.resolve("anthropic/claude-3-5-haiku-20241022"))
        .isInstanceOfSatisfying(KeelException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.MODEL_NOT_FOUND))
        .hasMessageContaining("ANTHROPIC_API_KEY");
  }

  @Test
  void resolve_prefixWithoutModel_is400() {
    assertThatThrownBy(() -> router(KeelConfig.EMPTY).resolve("openai/"))
        .isInstanceOfSatisfying(KeelException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_REQUEST))
        .hasMessageContaining("no model after");
  }

  @Test
  void parseUrl_notHttp_isRejected() {
    assertThatThrownBy(() -> ModelRouter.parseUrl("ftp://x", "OPENAI_BASE_URL"))
        .hasMessageContaining("OPENAI_BASE_URL").hasMessageContaining("ftp://x");
  }

  private static ModelRouter router(KeelConfig config) {
    return new ModelRouter(Map.of("openai", OPENAI, "anthropic", ANTHROPIC, "local", LOCAL),
        config, Set.of(), List.of());
  }
}
