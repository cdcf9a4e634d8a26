package dev.keel.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keel.gateway.config.KeelConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReleaseTest {

  @Test
  void release_fromEnvironment_wins() {
    assertThat(KeelServer.release(settings(Map.of("KEEL_RELEASE", "v2.3.1")), KeelConfig.EMPTY))
        .isEqualTo("v2.3.1");
  }

  @Test
  void release_withoutEnvironment_isAStableHashOfTheConfig() {
    KeelConfig one = KeelConfig.ofModels(List.of(new KeelConfig.ModelSpec("fast", "openai",
        "gpt-4o-mini", null, null)));
    KeelConfig other = KeelConfig.ofModels(List.of(new KeelConfig.ModelSpec("fast", "openai",
        "gpt-4o", null, null)));

    String a = KeelServer.release(settings(Map.of()), one);

    assertThat(a).matches("config-[0-9a-f]{12}");
    assertThat(KeelServer.release(settings(Map.of()), one)).isEqualTo(a);
    assertThat(KeelServer.release(settings(Map.of()), other)).isNotEqualTo(a);
  }

  private static ServerSettings settings(Map<String, String> env) {
    return new ServerSettings("127.0.0.1", 0, Path.of("unused"), null, null, env);
  }
}
