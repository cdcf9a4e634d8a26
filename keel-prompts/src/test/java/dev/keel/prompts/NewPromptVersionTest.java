package dev.keel.prompts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NewPromptVersionTest {

  @ParameterizedTest
  @ValueSource(strings = {"greet", "support/v2/greet", "a.b-c_d", "A9"})
  void name_safe_isAccepted(String name) {
    assertThat(NewPromptVersion.text(name, "x", null, null, null).name()).isEqualTo(name);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "../etc/passwd", "a/../b", "a..b", "/abs", "a/", "a//b", "a/./b",
      "sp ace", "pipe|x", "semi;colon", "new", "é"})
  void name_unsafe_isRejectedNamingIt(String name) {
    assertThatThrownBy(() -> NewPromptVersion.text(name, "x", null, null, null))
        .isInstanceOf(PromptException.class)
        .hasMessageContaining("prompt name");
  }

  @Test
  void config_invalidJson_isRejected() {
    assertThatThrownBy(() -> NewPromptVersion.text("p", "x", "{\"model\": ", null, null))
        .isInstanceOf(PromptException.class)
        .hasMessageStartingWith("config is not valid JSON")
        .extracting(e -> ((PromptException) e).param()).isEqualTo("config");
    assertThatThrownBy(() -> NewPromptVersion.text("p", "x", "[1]", null, null))
        .hasMessage("config must be a JSON object, got array");
  }

  @Test
  void config_isCanonical_soKeyOrderDoesNotChangeTheHash() {
    var a = NewPromptVersion.text("p", "x", "{\"b\": 1, \"a\": {\"d\": 2, \"c\": 0.5}}", null,
        null);
    var b = NewPromptVersion.text("p", "x", "{\"a\":{\"c\":0.5,\"d\":2},\"b\":1}", null, null);

    assertThat(a.configJson()).isEqualTo("{\"a\":{\"c\":0.5,\"d\":2},\"b\":1}");
    assertThat(a.contentHash()).isEqualTo(b.contentHash()).startsWith("sha256:").hasSize(71);
  }

  @Test
  void contentHash_changesWithTemplateTypeAndConfig_notWithMessageOrLabels() {
    String base = NewPromptVersion.text("p", "x", "{}", "one", "ann").contentHash();

    assertThat(new NewPromptVersion("p", "text", "x", null, null, List.of("staging"), null,
        "two", "bob").contentHash()).isEqualTo(base);
    assertThat(NewPromptVersion.text("p", "y", "{}", null, null).contentHash())
        .isNotEqualTo(base);
    assertThat(NewPromptVersion.text("p", "x", "{\"t\":1}", null, null).contentHash())
        .isNotEqualTo(base);
    assertThat(NewPromptVersion.chat("p", List.of(new ChatMessage("user", "x")), null, null,
        null).contentHash()).isNotEqualTo(base);
  }

  @Test
  void template_unclosed_isRejectedNamingTheMessage() {
    assertThatThrownBy(() -> NewPromptVersion.chat("p", List.of(new ChatMessage("system",
        "ok"), new ChatMessage("user", "{{q")), null, null, null))
        .isInstanceOf(PromptException.class)
        .hasMessage("unclosed '{{' at line 1, column 1 of message 2 of prompt 'p'");
  }

  @Test
  void labels_badFormat_isRejected() {
    assertThatThrownBy(() -> new NewPromptVersion("p", "text", "x", null, null,
        List.of("Prod"), null, null, null))
        .isInstanceOf(PromptException.class)
        .hasMessageContaining("label must be 1 to 36 of a-z 0-9 _ - . : 'Prod'");
  }

  @Test
  void type_unknownOrMismatched_isRejected() {
    assertThatThrownBy(() -> new NewPromptVersion("p", "image", "x", null, null, null, null,
        null, null)).hasMessage("type must be text or chat: image");
    assertThatThrownBy(() -> new NewPromptVersion("p", "chat", "x", null, null, null, null,
        null, null)).hasMessage("a chat prompt needs 'prompt' as a list of messages");
  }

  @Test
  void commitMessage_tooLong_isRejected() {
    assertThatThrownBy(() -> NewPromptVersion.text("p", "x", null, "m".repeat(501), null))
        .hasMessage("commitMessage must be at most 500 characters: 501");
  }
}
