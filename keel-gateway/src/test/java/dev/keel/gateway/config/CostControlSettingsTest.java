package dev.keel.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CostControlSettingsTest {

  @TempDir
  Path dir;

  @Test
  void defaults_noRedisUtcOneSecondFlushFiveSecondRefreshNoLimits() {
    KeelConfig c = KeelConfig.EMPTY;

    assertThat(c.redisUrl()).isNull();
    assertThat(c.budgets().zone()).isEqualTo(ZoneId.of("UTC"));
    assertThat(c.budgets().alertWebhookUrl()).isNull();
    assertThat(c.budgets().flushMillis()).isEqualTo(1000);
    assertThat(c.budgets().refreshSeconds()).isEqualTo(5);
    assertThat(c.rateLimits().masterKey()).isNull();
    assertThat(c.rateLimits().deployments()).isEmpty();
  }

  @Test
  void load_everySection_readFromYaml() throws IOException {
    KeelConfig c = load("""
        redis_url: redis://127.0.0.1:6379
        budgets: {time_zone: Europe/Paris, alert_webhook_url: "http://127.0.0.1:9/x"}
        rate_limits:
          master_key: {rpm: 10}
          deployments: {gpt-4o-mini: {rpm: 5, tpm: 1000}}
        """);

    assertThat(c.redisUrl()).isEqualTo("redis://127.0.0.1:6379");
    assertThat(c.budgets().zone()).isEqualTo(ZoneId.of("Europe/Paris"));
    assertThat(c.rateLimits().masterKey().rpm()).isEqualTo(10L);
    assertThat(c.rateLimits().deployments().get("gpt-4o-mini").tpm()).isEqualTo(1000L);
  }

  @Test
  void load_badValues_failNamingTheKey() {
    assertThatThrownBy(() -> load("budgets: {time_zone: Mars/Olympus}\n"))
        .hasMessageContaining("budgets.time_zone is not a known time zone");
    assertThatThrownBy(() -> load("budgets: {alert_webhook_url: ftp://x}\n"))
        .hasMessageContaining("budgets.alert_webhook_url must be an http(s) URL: ftp://x");
    assertThatThrownBy(() -> load("rate_limits: {master_key: {rpm: 0}}\n"))
        .hasMessageContaining("rpm must be positive: 0");
  }

  private KeelConfig load(String yaml) throws IOException {
    return KeelConfig.load(Files.writeString(dir.resolve("keel.yaml"), yaml));
  }
}
