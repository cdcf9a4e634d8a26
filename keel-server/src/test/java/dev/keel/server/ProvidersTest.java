package dev.keel.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProvidersTest {

  @Test
  void warnings_anthropicBaseUrlWithoutKey_oneLineNamingBothVariables() {
    List<String> w = Providers.warnings(Map.of("ANTHROPIC_BASE_URL", "http://127.0.0.1:9"));

    assertThat(w).singleElement().asString()
        .startsWith("ANTHROPIC_BASE_URL is set but ANTHROPIC_API_KEY is not, so it is ignored")
        .doesNotContain("\n");
  }

  @Test
  void warnings_anthropicBaseUrlWithKey_none() {
    assertThat(Providers.warnings(Map.of("ANTHROPIC_BASE_URL", "http://127.0.0.1:9",
        "ANTHROPIC_API_KEY", "sk-ant-x"))).isEmpty();
  }

  @Test
  void warnings_openAiBaseUrlWithoutV1_suggestsIt() {
    List<String> w = Providers.warnings(Map.of("OPENAI_BASE_URL", "http://127.0.0.1:8000/"));

    assertThat(w).singleElement().asString()
        .startsWith("OPENAI_BASE_URL (http://127.0.0.1:8000/) does not end in /v1; "
            + "OpenAI-compatible servers usually need it")
        .endsWith("(for example http://127.0.0.1:8000/v1)");
  }

  @Test
  void warnings_openAiBaseUrlWithV1_none() {
    assertThat(Providers.warnings(Map.of("OPENAI_BASE_URL", "http://127.0.0.1:11434/v1/")))
        .isEmpty();
  }

  @Test
  void warnings_openAiBaseUrlWithCredentials_notRepeated() {
    List<String> w = Providers.warnings(Map.of("OPENAI_BASE_URL", "http://u:pw@127.0.0.1:8000"));

    assertThat(w).singleElement().asString().startsWith("OPENAI_BASE_URL does not end in /v1")
        .doesNotContain("pw");
  }

  @Test
  void warnings_keysNeverShown() {
    List<String> w = Providers.warnings(Map.of("ANTHROPIC_BASE_URL", "http://h",
        "OPENAI_API_KEY", "sk-secret-openai", "OPENAI_BASE_URL", "http://h"));

    assertThat(w).hasSize(2).noneMatch(line -> line.contains("sk-secret-openai"));
  }

  @Test
  void fromEnvAndConfig_repositoryExampleWithEmptyEnvironment_startsAsIs() {
    var config = dev.keel.gateway.config.KeelConfig.load(Path.of("..", "keel.yaml.example"));

    var providers = Providers.fromEnvAndConfig(Map.of(), config);

    assertThat(providers).containsOnlyKeys("local");
  }
}
