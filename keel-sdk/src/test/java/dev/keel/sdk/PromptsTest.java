package dev.keel.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PromptsTest {

  private StubKeel stub;
  private MutableClock clock;
  private KeelClient keel;

  @BeforeEach
  void start() throws IOException {
    stub = new StubKeel();
    clock = new MutableClock();
    keel = stub.client().clock(clock).promptCacheTtl(Duration.ofSeconds(60)).build();
  }

  @AfterEach
  void stop() {
    keel.close();
    stub.close();
  }

  @Test
  void get_withinTtl_servedFromCacheWithoutRequest() {
    stub.prompts.put("support", textPrompt("support", 1, "Hello {{name}}"));

    Prompt first = keel.prompts().get("support");
    clock.advance(Duration.ofSeconds(59));
    Prompt second = keel.prompts().get("support");

    assertThat(second).isSameAs(first);
    assertThat(stub.promptQueries).containsExactly("support");
    assertThat(first.asText().compile(Map.of("name", "Ada"))).isEqualTo("Hello Ada");
    assertThat(first.config()).containsEntry("model", "gpt-4o-mini");
    assertThat(first.labels()).containsExactly("production", "latest");
  }

  @Test
  void get_expired_servesStaleAtOnceAndRefreshesOnceInBackground() throws Exception {
    stub.prompts.put("support", textPrompt("support", 1, "v1"));
    keel.prompts().get("support");
    stub.prompts.put("support", textPrompt("support", 2, "v2"));
    clock.advance(Duration.ofSeconds(61));

    Prompt stale = keel.prompts().get("support");
    Prompt alsoStale = keel.prompts().get("support");

    assertThat(stale.version()).isEqualTo(1);
    assertThat(alsoStale.version()).isEqualTo(1);
    StubKeel.await(() -> keel.prompts().get("support").version() == 2);
    assertThat(stub.promptQueries).containsExactly("support", "support");
  }

  @Test
  void get_refreshFails_keepsServingStale() throws Exception {
    stub.prompts.put("support", textPrompt("support", 1, "v1"));
    keel.prompts().get("support");
    stub.prompts.clear();
    clock.advance(Duration.ofSeconds(61));

    Prompt stale = keel.prompts().get("support");
    StubKeel.await(() -> stub.promptQueries.size() == 2);
    Thread.sleep(50);

    assertThat(stale.version()).isEqualTo(1);
    assertThat(keel.prompts().get("support").version()).isEqualTo(1);
  }

  @Test
  void get_labelVersionAndFolderName_sentAsLangfuseQuery() {
    stub.prompts.put("team%2Fsupport?label=staging", textPrompt("team/support", 3, "s"));
    stub.prompts.put("team%2Fsupport?version=2", textPrompt("team/support", 2, "v"));

    assertThat(keel.prompts().get("team/support", "staging").version()).isEqualTo(3);
    assertThat(keel.prompts().get("team/support", 2).version()).isEqualTo(2);
  }

  @Test
  void get_unreachableAndNothingCached_servesFallback() throws IOException {
    KeelClient offline = stub.client().baseUrl(closedPortUrl()).promptMaxRetries(0).build();
    try (offline) {
      Prompt p = offline.prompts().get(PromptRequest.of("support")
          .fallback(TextPrompt.fallback("support", "Hi {{name}}")));

      assertThat(p.isFallback()).isTrue();
      assertThat(p.version()).isZero();
      assertThat(p.asText().compile(Map.of("name", "Bo"))).isEqualTo("Hi Bo");
    }
  }

  @Test
  void get_unreachableWithoutFallback_throwsWithStatusZero() throws IOException {
    KeelClient offline = stub.client().baseUrl(closedPortUrl()).promptMaxRetries(1).build();
    try (offline) {
      assertThatThrownBy(() -> offline.prompts().get("support"))
          .isInstanceOfSatisfying(PromptException.class, e -> assertThat(e.status()).isZero());
    }
  }

  @Test
  void get_notFound_throws404WithoutRetry() {
    assertThatThrownBy(() -> keel.prompts().get("missing"))
        .isInstanceOfSatisfying(PromptException.class,
            e -> assertThat(e.status()).isEqualTo(404));

    assertThat(stub.promptQueries).containsExactly("missing");
  }

  @Test
  void get_500ThenOk_retried() {
    stub.promptStatuses.add(500);
    stub.prompts.put("support", textPrompt("support", 1, "v1"));

    assertThat(keel.prompts().get("support").version()).isEqualTo(1);

    assertThat(stub.promptQueries).hasSize(2);
  }

  @Test
  void get_zeroTtlFetchFails_servesCachedCopy() {
    stub.prompts.put("support", textPrompt("support", 1, "v1"));
    keel.prompts().get("support");
    stub.promptStatuses.addAll(List.of(503, 503, 503));

    Prompt p = keel.prompts().get(PromptRequest.of("support").cacheTtl(Duration.ZERO));

    assertThat(p.version()).isEqualTo(1);
    assertThat(stub.promptQueries).hasSize(4);
  }

  @Test
  void chatPrompt_compileFillsVariablesAndPlaceholders() {
    stub.prompts.put("chat", """
        {"name":"chat","version":4,"type":"chat","config":{},"labels":["production"],
         "tags":[],"prompt":[{"role":"system","content":"You help {{product}} users."},
         {"type":"placeholder","name":"history"},
         {"role":"user","content":"{{ question }}"}]}""");

    ChatPrompt chat = keel.prompts().get("chat").asChat();
    List<ChatMessage> messages = chat.compile(Map.of("product", "Keel", "question", "Why?",
        "history", List.of(Map.of("role", "user", "content", "Hi"),
            ChatMessage.of("assistant", "Hello"))));

    assertThat(messages).containsExactly(ChatMessage.of("system", "You help Keel users."),
        ChatMessage.of("user", "Hi"), ChatMessage.of("assistant", "Hello"),
        ChatMessage.of("user", "Why?"));
  }

  @Test
  void textPrompt_compileLeavesUnknownAndJsonEncodesValues() {
    TextPrompt p = TextPrompt.fallback("p", "{{a}} {{b}} {{missing}}");

    assertThat(p.compile(Map.of("a", 3, "b", List.of("x")))).isEqualTo("3 [\"x\"] {{missing}}");
  }

  @Test
  void generation_linksPromptButNeverAFallback() {
    stub.prompts.put("support", textPrompt("support", 7, "v7"));
    Prompt real = keel.prompts().get("support");

    try (Trace trace = keel.trace("t")) {
      trace.generation("real").prompt(real).end();
      trace.generation("fallback").prompt(TextPrompt.fallback("support", "x")).end();
    }
    keel.flush(Duration.ofSeconds(5));

    var gens = stub.events("generation-create");
    assertThat(gens.get(0).path("body").path("promptName").asText()).isEqualTo("support");
    assertThat(gens.get(0).path("body").path("promptVersion").asInt()).isEqualTo(7);
    assertThat(gens.get(1).path("body").has("promptName")).isFalse();
  }

  private static String textPrompt(String name, int version, String text) {
    return "{\"id\":\"p" + version + "\",\"name\":\"" + name + "\",\"version\":" + version
        + ",\"type\":\"text\",\"prompt\":\"" + text + "\",\"config\":{\"model\":"
        + "\"gpt-4o-mini\"},\"labels\":[\"production\",\"latest\"],\"tags\":[]}";
  }

  private static String closedPortUrl() throws IOException {
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return "http://127.0.0.1:" + probe.getLocalPort();
    }
  }

  /** A clock the test moves by hand, for cache expiry without sleeping. */
  private static final class MutableClock extends Clock {
    private volatile Instant now = Instant.parse("2026-01-01T00:00:00Z");

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }
  }
}
