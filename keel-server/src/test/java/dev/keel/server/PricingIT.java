package dev.keel.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keel.core.trace.Level;
import dev.keel.core.trace.Observation;
import dev.keel.core.usage.Usage;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Prices that are unknown, overridden or installed, and usage the provider did not report.
 */
class PricingIT {

  @TempDir
  Path dir;

  @Test
  void usageNotReported_isCountedWithTheTokenizerAndMarkedEstimated() {
    try (var keel = KeelFixture.start(dir)) {
      String traceId = UUID.randomUUID().toString();

      HttpResponse<String> r = keel.chat(body("gpt-4o-mini",
          "Count these words please [[sim usage=none]]", false), "x-keel-trace-id", traceId);

      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(KeelFixture.json(r).has("usage")).isFalse();
      Observation o = keel.onlyObservation(traceId);
      assertThat(o.usage().estimated()).isTrue();
      assertThat(o.metadata()).contains("\"usage_estimated\":true");
      assertThat(o.usage().get(Usage.INPUT)).isBetween(8L, 30L);
      assertThat(o.usage().get(Usage.OUTPUT)).isPositive();
      assertThat(o.cost()).isNotNull();
      assertThat(r.headers().firstValue("x-keel-cost-usd")).get()
          .isEqualTo(o.cost().total().toPlainString());
    }
  }

  @Test
  void streamWithoutUsage_isEstimatedFromTheStreamedText() {
    try (var keel = KeelFixture.start(dir)) {
      String traceId = UUID.randomUUID().toString();

      HttpResponse<String> r = keel.chat(body("gpt-4o", "Tell me about rivers [[sim usage=none]]",
          true), "x-keel-trace-id", traceId);

      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.body()).contains("[DONE]").doesNotContain("\"usage\":{");
      Observation o = keel.onlyObservation(traceId);
      assertThat(o.usage().estimated()).isTrue();
      assertThat(o.usage().get(Usage.OUTPUT)).isPositive();
      assertThat(o.output()).contains("rivers");
      assertThat(o.completionStartTime()).isNotNull();
    }
  }

  @Test
  void unknownPrice_noCostAWarningAndUnknownHeader() throws IOException {
    Files.writeString(dir.resolve("model_prices.json"), "{\"gpt-4o\": {\"litellm_provider\": "
        + "\"openai\", \"mode\": \"chat\", \"input_cost_per_token\": 2.5e-06, "
        + "\"output_cost_per_token\": 1e-05}}");
    try (var keel = KeelFixture.start(dir)) {
      String traceId = UUID.randomUUID().toString();

      HttpResponse<String> r = keel.chat(body("gpt-4o-mini", "hi [[sim usage prompt=20 "
          + "completion=5]]", false), "x-keel-trace-id", traceId);

      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.headers().firstValue("x-keel-cost-usd")).contains("unknown");
      assertThat(KeelFixture.json(r).path("usage").has("cost")).isFalse();
      Observation o = keel.onlyObservation(traceId);
      assertThat(o.cost()).isNull();
      assertThat(o.level()).isEqualTo(Level.WARNING);
      assertThat(o.statusMessage()).contains("gpt-4o-mini");
      assertThat(o.usage().get(Usage.INPUT)).isEqualTo(20);
      var trace = keel.trace(traceId);
      assertThat(trace.costIncomplete()).isTrue();
      var api = KeelFixture.json(keel.get("/api/public/traces/" + traceId, "authorization",
          KeelFixture.bearerMaster()));
      assertThat(api.path("observations").path(0).path("calculatedTotalCost").isNull())
          .isTrue();
    }
  }

  @Test
  void priceOverrideInConfig_isUsedForThatModel() {
    String yaml = """
        models:
          - name: cheap
            provider: openai
            model: gpt-4o-mini
            price: {input_per_million: 1, output_per_million: 2}
        """;
    try (var keel = KeelFixture.start(dir, yaml)) {
      String traceId = UUID.randomUUID().toString();

      HttpResponse<String> r = keel.chat(body("cheap", "hi [[sim usage prompt=20 completion=5]]",
          false), "x-keel-trace-id", traceId);

      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(new BigDecimal(r.headers().firstValue("x-keel-cost-usd").orElseThrow()))
          .isEqualByComparingTo("0.00003");
      assertThat(r.headers().firstValue("x-keel-model")).contains("openai/gpt-4o-mini");
      Observation o = keel.onlyObservation(traceId);
      assertThat(o.model()).isEqualTo("gpt-4o-mini");
      assertThat(o.metadata()).contains("\"requested_model\":\"cheap\"");
      assertThat(o.cost().total()).isEqualByComparingTo("0.00003");

      // The entry prices calls made under its name only: gpt-4o-mini itself keeps the table's
      // price (0.15 and 0.60 per million) in the gateway and in ingestion.
      HttpResponse<String> direct = keel.chat(body("gpt-4o-mini", "hi [[sim usage prompt=20 "
          + "completion=5]]", false));
      assertThat(new BigDecimal(direct.headers().firstValue("x-keel-cost-usd").orElseThrow()))
          .isEqualByComparingTo("0.000006");
    }
  }

  private static String body(String model, String content, boolean stream) {
    return "{\"model\":\"" + model + "\",\"stream\":" + stream + ",\"messages\":[{\"role\":"
        + "\"user\",\"content\":\"" + content + "\"}]}";
  }
}
