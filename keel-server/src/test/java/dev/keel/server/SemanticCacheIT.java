package dev.keel.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keel.core.trace.Observation;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The semantic cache with in-process MiniLM embeddings and the default threshold. */
class SemanticCacheIT {

  @TempDir
  static Path dir;
  private static KeelFixture keel;

  @BeforeAll
  static void start() {
    // MiniLM's tokenizer unpacks native files: keep them in this module's target folder.
    System.setProperty("DJL_CACHE_DIR", Path.of("target", "djl").toAbsolutePath().toString());
    keel = KeelFixture.start(dir, "cache: {enabled: true, ttl_seconds: 60, semantic: "
        + "{enabled: true}}\n");
  }

  @AfterAll
  static void stop() {
    keel.close();
  }

  @Test
  void paraphrase_isAFreeHitTracedWithSimilarityAndSaving() {
    String tag = tag();
    HttpResponse<String> first = keel.chat(body(tag, "What is the capital city of France?"));
    String traceId = UUID.randomUUID().toString();

    HttpResponse<String> second = keel.chat(body(tag, "What's the capital of France?"),
        "x-keel-trace-id", traceId);

    assertThat(first.headers().firstValue("x-keel-cache")).contains("miss");
    assertThat(second.headers().firstValue("x-keel-cache")).contains("hit");
    assertThat(Double.parseDouble(second.headers().firstValue("x-keel-cache-similarity")
        .orElseThrow())).isBetween(0.92, 0.9999);
    assertThat(content(second)).isEqualTo(content(first));
    Observation hit = keel.onlyObservation(traceId);
    assertThat(hit.metadata()).contains("\"cache_kind\":\"semantic\"")
        .contains("\"cache_saving_usd\":\"" + first.headers().firstValue("x-keel-cost-usd")
            .orElseThrow());
  }

  @Test
  void unrelatedQuestion_misses() {
    String tag = tag();
    keel.chat(body(tag, "What is the capital city of France?"));

    HttpResponse<String> other = keel.chat(body(tag, "How long should sourdough bread rise?"));

    assertThat(other.headers().firstValue("x-keel-cache")).contains("miss");
    assertThat(content(other)).contains("sourdough");
  }

  @Test
  void otherTenant_neverGetsAnotherKeysAnswer() {
    String tag = tag();
    keel.chat(body(tag, "What is the capital city of France?"));
    String otherKey = KeelFixture.json(keel.post("/api/keel/keys", "{\"name\":\"other\"}",
        "authorization", KeelFixture.bearerMaster(), "content-type", "application/json"))
        .path("key").asText();

    HttpResponse<String> other = keel.post("/v1/chat/completions",
        body(tag, "What's the capital of France?"), "authorization", "Bearer " + otherKey,
        "content-type", "application/json");

    assertThat(other.statusCode()).isEqualTo(200);
    assertThat(other.headers().firstValue("x-keel-cache")).contains("miss");
  }

  @Test
  void noCache_skipsTheSemanticLookupToo() {
    String tag = tag();
    keel.chat(body(tag, "What is the capital city of France?"));

    HttpResponse<String> fresh = keel.chat(body(tag, "What's the capital of France?"),
        "cache-control", "no-cache");

    assertThat(fresh.headers().firstValue("x-keel-cache")).contains("miss");
  }

  @Test
  void paraphraseStreamed_isReplayedAsChunks() {
    String tag = tag();
    HttpResponse<String> first = keel.chat(body(tag, "What is the capital city of France?"));

    HttpResponse<String> streamed = keel.chat(body(tag, "What's the capital of France?")
        .replace("{\"model\"", "{\"stream\":true,\"model\""));

    assertThat(streamed.headers().firstValue("x-keel-cache")).contains("hit");
    assertThat(streamed.body()).contains("chat.completion.chunk").contains("[DONE]")
        .contains(content(first).substring(0, 20));
  }

  /** A system prompt unique to each test keeps the tests' entries apart. */
  private static String tag() {
    return UUID.randomUUID().toString();
  }

  private static String content(HttpResponse<String> r) {
    return KeelFixture.json(r).path("choices").path(0).path("message").path("content").asText();
  }

  private static String body(String tag, String question) {
    return "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"system\",\"content\":\"test "
        + tag + "\"},{\"role\":\"user\",\"content\":\"" + question + "\"}]}";
  }
}
