package dev.keel.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OnlineEvalSettingsTest {

  @TempDir
  Path dir;

  @Test
  void defaults_noRulesTenThousandPendingTwoWorkers() {
    OnlineEvalSettings s = KeelConfig.EMPTY.onlineEval();

    assertThat(s.rules()).isEmpty();
    assertThat(s.queueCapacity()).isEqualTo(10_000);
    assertThat(s.concurrency()).isEqualTo(2);
  }

  @Test
  void load_rulesKeptAsMappingsForTheEvaluatorToCheck() throws IOException {
    Path f = dir.resolve("keel.yaml");
    Files.writeString(f, """
        online_eval:
          concurrency: 4
          rules:
            - name: answers
              sample_rate: 0.25
              scorers: [json_valid]
        """);

    OnlineEvalSettings s = KeelConfig.load(f).onlineEval();

    assertThat(s.concurrency()).isEqualTo(4);
    assertThat(s.rules()).hasSize(1);
    assertThat(s.rules().get(0).path("name").asText()).isEqualTo("answers");
    assertThat(s.rules().get(0).path("sample_rate").asDouble()).isEqualTo(0.25);
  }

  @Test
  void load_badConcurrencyOrUnknownKey_failsNamingIt() throws IOException {
    Path zero = dir.resolve("zero.yaml");
    Files.writeString(zero, "online_eval:\n  concurrency: 0\n");
    Path typo = dir.resolve("typo.yaml");
    Files.writeString(typo, "online_eval:\n  rulez: []\n");

    assertThatThrownBy(() -> KeelConfig.load(zero))
        .hasMessageContaining("online_eval.concurrency must be from 1 to 64: 0");
    assertThatThrownBy(() -> KeelConfig.load(typo)).hasMessageContaining("rulez");
  }
}
