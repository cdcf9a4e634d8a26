package dev.keel.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keel.core.trace.Observation;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The exact-match response cache: hits, opt-outs, streams from cache, tenants kept apart. */
class ResponseCacheIT {

  @TempDir
  static Path dir;
  private static KeelFixture keel;

  @BeforeAll
  static void start() throws Exception {
    keel = KeelFixture.start(Files.createDirectory(dir.resolve("on")),
        "cache: {enabled: true, ttl_seconds: 60}\n");
  }

  @AfterAll
  static void stop() {
    keel.close();
  }

  @Test
  void sameRequestTwice_secondIsAFreeHitTracedWithItsSaving() {
    String body = body("gpt-4o-mini", "cache me " + UUID.randomUUID(), false);
    String second = UUID.randomUUID().toString();

    HttpResponse<String> a = keel.chat(body);
    HttpResponse<String> b = keel.chat(body, "x-keel-trace-id", second);

    assertThat(a.headers().firstValue("x-keel-cache")).contains("miss");
    assertThat(b.headers().firstValue("x-keel-cache")).contains("hit");
    assertThat(b.headers().firstValue("x-keel-cost-usd")).contains("0");
    assertThat(content(b)).isEqualTo(content(a));
    Observation hit = keel.onlyObservation(second);
    assertThat(hit.cost().total()).isEqualByComparingTo(BigDecimal.ZERO);
    assertThat(hit.metadata()).contains("\"cache_hit\":true")
        .contains("\"cache_saving_usd\":\"" + new BigDecimal(
            a.headers().firstValue("x-keel-cost-usd").orElseThrow()).toPlainString() + "\"");
  }

  @Test
  void noCache_skipsTheLookup_noStore_keepsItOut() {
    String body = body("gpt-4o-mini", "fresh please " + UUID.randomUUID(), false);

    keel.chat(body, "cache-control", "no-store");
    HttpResponse<String> afterNoStore = keel.chat(body);
    HttpResponse<String> noCache = keel.chat(body, "cache-control", "no-cache");

    assertThat(afterNoStore.headers().firstValue("x-keel-cache")).contains("miss");
    assertThat(noCache.headers().firstValue("x-keel-cache")).contains("miss");
    assertThat(keel.chat(body).headers().firstValue("x-keel-cache")).contains("hit");
  }

  @Test
  void streamFromCache_replaysTheAnswerAsChunks() {
    String plain = body("gpt-4o", "stream me " + UUID.randomUUID(), false);
    HttpResponse<String> first = keel.chat(plain);

    HttpResponse<String> streamed = keel.chat(plain.replace("\"stream\":false",
        "\"stream\":true,\"stream_options\":{\"include_usage\":true}"));

    assertThat(streamed.headers().firstValue("x-keel-cache")).contains("hit");
    assertThat(streamed.body()).contains("chat.completion.chunk").contains("[DONE]")
        .contains("\"cost\":0");
    assertThat(streamed.body()).contains(content(first).substring(0, 20));
  }

  @Test
  void anthropicStreamFromCache_isAValidEventSequence() {
    String req = "{\"model\":\"claude-3-5-haiku-20241022\",\"max_tokens\":50,\"messages\":"
        + "[{\"role\":\"user\",\"content\":\"anthropic cache " + UUID.randomUUID() + "\"}]";
    keel.post("/v1/messages", req + "}", "x-api-key", KeelFixture.MASTER_KEY);

    HttpResponse<String> streamed = keel.post("/v1/messages", req + ",\"stream\":true}",
        "x-api-key", KeelFixture.MASTER_KEY);

    assertThat(streamed.headers().firstValue("x-keel-cache")).contains("hit");
    assertThat(streamed.body()).contains("event: message_start").contains("text_delta")
        .contains("event: message_delta").endsWith("data: {\"type\":\"message_stop\"}\n\n");
  }

  @Test
  void otherKey_neverSeesAnotherKeysAnswer() {
    String body = body("gpt-4o-mini", "tenant " + UUID.randomUUID(), false);
    keel.chat(body);
    HttpResponse<String> created = keel.post("/api/keel/keys", "{\"name\":\"tenant-b\"}",
        "authorization", KeelFixture.bearerMaster(), "content-type", "application/json");
    String otherKey = KeelFixture.json(created).path("key").asText();
    assertThat(otherKey).startsWith("sk-keel-");

    HttpResponse<String> other = keel.post("/v1/chat/completions", body, "authorization",
        "Bearer " + otherKey, "content-type", "application/json");

    assertThat(other.statusCode()).isEqualTo(200);
    assertThat(other.headers().firstValue("x-keel-cache")).contains("miss");
  }

  @Test
  void disabledByDefault() throws Exception {
    try (var off = KeelFixture.start(Files.createDirectory(dir.resolve("off")))) {
      String body = body("gpt-4o-mini", "no cache here", false);
      off.chat(body);

      HttpResponse<String> again = off.chat(body);

      assertThat(again.headers().firstValue("x-keel-cache")).isEmpty();
    }
  }

  private static String content(HttpResponse<String> r) {
    return KeelFixture.json(r).path("choices").path(0).path("message").path("content").asText();
  }

  private static String body(String model, String content, boolean stream) {
    return "{\"model\":\"" + model + "\",\"stream\":" + stream + ",\"messages\":[{\"role\":"
        + "\"user\",\"content\":\"" + content + "\"}]}";
  }
}
