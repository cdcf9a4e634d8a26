package dev.keel.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keel.gateway.config.PromptCachingConfig;
import org.junit.jupiter.api.Test;

class PromptCachingTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final PromptCachingConfig AUTO = new PromptCachingConfig("auto", 100);
  private static final String LONG = "You are a careful assistant. ".repeat(20);

  @Test
  void mark_longSystemString_becomesABlockWithCacheControl() throws Exception {
    ObjectNode body = body("{\"system\":\"" + LONG + "\",\"messages\":[{\"role\":\"user\","
        + "\"content\":\"hi\"}]}");

    int marks = PromptCaching.mark(body, AUTO);

    assertThat(marks).isEqualTo(1);
    assertThat(body.path("system").get(0).path("text").asText()).isEqualTo(LONG);
    assertThat(body.path("system").get(0).path("cache_control").path("type").asText())
        .isEqualTo("ephemeral");
    assertThat(body.path("messages").get(0).path("content").asText()).isEqualTo("hi");
  }

  @Test
  void mark_shortPrefix_leavesTheRequestAlone() throws Exception {
    ObjectNode body = body("{\"system\":\"Be brief.\",\"messages\":[{\"role\":\"user\","
        + "\"content\":\"hi\"}]}");
    String before = body.toString();

    assertThat(PromptCaching.mark(body, AUTO)).isZero();
    assertThat(body.toString()).isEqualTo(before);
  }

  @Test
  void mark_toolsWithoutSystem_marksTheLastTool() throws Exception {
    ObjectNode body = body("{\"tools\":[{\"name\":\"a\",\"description\":\"" + LONG + "\","
        + "\"input_schema\":{\"type\":\"object\"}},{\"name\":\"b\",\"input_schema\":"
        + "{\"type\":\"object\"}}],\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");

    PromptCaching.mark(body, AUTO);

    assertThat(body.path("tools").get(1).has("cache_control")).isTrue();
    assertThat(body.path("tools").get(0).has("cache_control")).isFalse();
  }

  @Test
  void mark_longConversation_alsoMarksTheTurnBeforeTheLastUserMessage() throws Exception {
    ObjectNode body = body("{\"system\":\"" + LONG + "\",\"messages\":["
        + "{\"role\":\"user\",\"content\":\"first\"},"
        + "{\"role\":\"assistant\",\"content\":[{\"type\":\"text\",\"text\":\"answer\"}]},"
        + "{\"role\":\"user\",\"content\":\"second\"}]}");

    int marks = PromptCaching.mark(body, AUTO);

    assertThat(marks).isEqualTo(2);
    assertThat(body.path("messages").get(1).path("content").get(0).has("cache_control"))
        .isTrue();
    assertThat(body.path("messages").get(2).path("content").asText()).isEqualTo("second");
  }

  @Test
  void mark_clientMarksOrPolicyOff_changeNothing() throws Exception {
    ObjectNode marked = body("{\"system\":[{\"type\":\"text\",\"text\":\"" + LONG + "\","
        + "\"cache_control\":{\"type\":\"ephemeral\"}}],\"messages\":[{\"role\":\"user\","
        + "\"content\":\"x\"},{\"role\":\"assistant\",\"content\":\"y\"},{\"role\":\"user\","
        + "\"content\":\"z\"}]}");
    ObjectNode off = body("{\"system\":\"" + LONG + "\",\"messages\":[]}");

    assertThat(PromptCaching.mark(marked, AUTO)).isZero();
    assertThat(PromptCaching.mark(off, PromptCachingConfig.DEFAULT)).isZero();
    assertThat(off.path("system").isTextual()).isTrue();
  }

  private static ObjectNode body(String json) throws Exception {
    return (ObjectNode) JSON.readTree(json);
  }
}
