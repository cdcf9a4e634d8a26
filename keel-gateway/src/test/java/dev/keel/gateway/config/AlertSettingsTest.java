package dev.keel.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class AlertSettingsTest {

  @Test
  void defaults_areOffWithAFiveMinuteWindowCheckedEveryMinute() {
    AlertSettings d = AlertSettings.DEFAULT;

    assertThat(d.enabled()).isFalse();
    assertThat(d.windowSeconds()).isEqualTo(300);
    assertThat(d.checkSeconds()).isEqualTo(60);
    assertThat(d.minCalls()).isEqualTo(10);
    assertThat(d.webhookUrl()).isNull();
    assertThat(KeelConfig.EMPTY.alerts()).isEqualTo(d);
  }

  @Test
  void badValues_failNamingTheKey() {
    assertThatThrownBy(() -> new AlertSettings(1.5, null, null, null, null, null))
        .hasMessage("alerts.error_rate must be above 0 and at most 1: 1.5");
    assertThatThrownBy(() -> new AlertSettings(null, 0L, null, null, null, null))
        .hasMessage("alerts.p95_latency_ms must be positive: 0");
    assertThatThrownBy(() -> new AlertSettings(0.1, null, 0, null, null, null))
        .hasMessage("alerts.window_seconds must be positive: 0");
    assertThatThrownBy(() -> new AlertSettings(0.1, null, null, null, null, "ftp://x"))
        .hasMessage("alerts.webhook_url must be an http or https URL: ftp://x");
  }

  @Test
  void promptCaching_defaultsOff_yamlOffReadAsFalseIsOff_unknownFails() {
    assertThat(KeelConfig.EMPTY.promptCaching().anthropicAuto()).isFalse();
    assertThat(KeelConfig.EMPTY.promptCaching().minTokens()).isEqualTo(1024);
    assertThat(new PromptCachingConfig("false", null).anthropic()).isEqualTo("off");
    assertThat(new PromptCachingConfig("Auto", 2048).anthropicAuto()).isTrue();
    assertThatThrownBy(() -> new PromptCachingConfig("always", null))
        .hasMessage("prompt_caching.anthropic must be off or auto: always");
  }
}
