package dev.keel.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeelConfigTest {

  @TempDir
  Path dir;

  @Test
  void empty_config_hasDocumentedDefaults() {
    KeelConfig c = KeelConfig.EMPTY;

    assertThat(c.providers()).isEmpty();
    assertThat(c.models()).isEmpty();
    assertThat(c.limits().maxBodyBytes()).isEqualTo(10L * 1024 * 1024);
    assertThat(c.limits().upstreamTimeoutSeconds()).isEqualTo(600);
    assertThat(c.tracing().queueCapacity()).isEqualTo(50_000);
    assertThat(c.tracing().batchSize()).isEqualTo(500);
    assertThat(c.tracing().flushMillis()).isEqualTo(200);
    assertThat(c.tracing().captureContent()).isTrue();
  }

  @Test
  void load_repositoryExample_parsesEverySection() {
    Path example = Path.of("..", "keel.yaml.example");

    KeelConfig c = KeelConfig.load(example);

    assertThat(c.providerNames()).containsExactly("local");
    assertThat(c.providers().get(0).format()).isEqualTo("openai");
    assertThat(c.providers().get(0).apiKeyEnv()).isNull();
    assertThat(c.models()).extracting(KeelConfig.ModelSpec::name).containsExactly("llama");
    assertThat(c.models().get(0).price().inputPerMillion()).isEqualByComparingTo(BigDecimal.ZERO);
    assertThat(c.tracing().captureContent()).isTrue();
  }

  @Test
  void load_modelWithoutUpstreamName_usesItsOwnName() throws IOException {
    Path f = write("models:\n  - name: gpt-4o\n    provider: openai\n");

    KeelConfig c = KeelConfig.load(f);

    assertThat(c.models().get(0).model()).isEqualTo("gpt-4o");
  }

  @Test
  void load_unknownKey_failsNamingIt() throws IOException {
    Path f = write("limits:\n  max_body_byts: 5\n");

    assertThatThrownBy(() -> KeelConfig.load(f)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("max_body_byts");
  }

  @Test
  void load_negativeLimit_failsWithTheValue() throws IOException {
    Path f = write("limits:\n  max_body_bytes: -3\n");

    assertThatThrownBy(() -> KeelConfig.load(f)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("max_body_bytes must be positive: -3");
  }

  @Test
  void load_badFormat_failsNamingProvider() throws IOException {
    Path f = write("providers:\n  - name: x\n    format: gemini\n    base_url: http://h/v1\n");

    assertThatThrownBy(() -> KeelConfig.load(f)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("providers[x].format must be openai or anthropic: gemini");
  }

  @Test
  void load_duplicateModel_fails() throws IOException {
    Path f = write("models:\n  - {name: a, provider: openai}\n  - {name: a, provider: openai}\n");

    assertThatThrownBy(() -> KeelConfig.load(f)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("model declared twice: a");
  }

  @Test
  void load_missingFile_saysSo() {
    assertThatThrownBy(() -> KeelConfig.load(dir.resolve("nope.yaml")))
        .hasMessageContaining("config file not found");
  }

  @Test
  void load_malformedYaml_isAClearError() throws IOException {
    Path f = write("models: [ {name: a\n");

    assertThatThrownBy(() -> KeelConfig.load(f)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("keel.yaml is not valid YAML at line ")
        .hasMessageContaining("column")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
  }

  @Test
  void load_emptyFile_isTheEmptyConfig() throws IOException {
    Path f = write("");

    assertThat(KeelConfig.load(f)).isEqualTo(KeelConfig.EMPTY);
  }

  @Test
  void load_commentsOnly_isTheEmptyConfig() throws IOException {
    Path f = write("# nothing configured yet\n\n   # still nothing\n");

    assertThat(KeelConfig.load(f)).isEqualTo(KeelConfig.EMPTY);
  }

  @Test
  void load_unknownTopLevelKey_namesKeyLineAndAllowedKeys() throws IOException {
    Path f = write("# providers\n\nprovders:\n  - name: x\n");

    assertThatThrownBy(() -> KeelConfig.load(f)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("unknown key 'provders' in keel.yaml at line 3")
        .hasMessageContaining("allowed at the top level: ")
        .hasMessageContaining("limits, models, online_eval, prompt_caching, providers")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n", "dev.keel",
            "KeelConfig"));
  }

  @Test
  void load_unknownNestedKey_namesItsSection() throws IOException {
    Path f = write("limits:\n  max_body_byts: 5\n");

    assertThatThrownBy(() -> KeelConfig.load(f))
        .hasMessageStartingWith("unknown key 'max_body_byts' in keel.yaml at line 2")
        .hasMessageContaining("allowed under limits: ")
        .hasMessageContaining("max_body_bytes");
  }

  @Test
  void load_unknownKeyInSecondProvider_namesListEntryAndLine() throws IOException {
    Path f = write("providers:\n  - name: a\n    format: openai\n    base_url: http://h/v1\n"
        + "  - name: b\n    format: openai\n    base_url: http://h/v1\n    timeot: 5\n");

    assertThatThrownBy(() -> KeelConfig.load(f))
        .hasMessageStartingWith("unknown key 'timeot' in keel.yaml at line 8; "
            + "allowed under providers[1]: ");
  }

  @Test
  void load_wrongType_oneLineNamingKeyAndValue() throws IOException {
    Path f = write("limits:\n  max_body_bytes: lots\n");

    assertThatThrownBy(() -> KeelConfig.load(f))
        .hasMessageStartingWith("invalid value for limits.max_body_bytes in keel.yaml at line 2")
        .hasMessageContaining("'lots'")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
  }

  @Test
  void load_valueRefusedByItsSection_pointsAtTheKeyNotTheSection() throws IOException {
    Path f = write("# limits below\nlimits:\n  upstream_timeout_seconds: 30\n"
        + "  max_body_bytes: -5\n");

    assertThatThrownBy(() -> KeelConfig.load(f))
        .hasMessage("keel.yaml at line 4: limits.max_body_bytes must be positive: -5");
  }

  @Test
  void load_negativePrice_namesTheKeyAndItsLineInUsdPerMillion() throws IOException {
    Path f = write("providers:\n  - name: p\n    format: openai\n    base_url: http://h/v1\n"
        + "models:\n  - name: m\n    provider: p\n    price:\n"
        + "      output_per_million: 2\n      input_per_million: -3\n");

    assertThatThrownBy(() -> KeelConfig.load(f)).hasMessage(
        "keel.yaml at line 10: models[].price.input_per_million must not be negative: -3");
  }

  private Path write(String yaml) throws IOException {
    Path f = dir.resolve("keel.yaml");
    Files.writeString(f, yaml);
    return f;
  }
}
