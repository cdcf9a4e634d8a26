package dev.keel.prompts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keel.core.error.ErrorCode;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PromptVersionTest {

  private static final Instant T0 = Instant.parse("2025-03-01T10:00:00Z");

  @Test
  void render_text_fillsVariablesAndCarriesConfig() {
    PromptVersion v = text("Hi {{name}}, about {{topic}}");

    Rendered r = v.render(Map.of("name", "Ann", "topic", "tea", "unused", 1));

    assertThat(r.text()).isEqualTo("Hi Ann, about tea");
    assertThat(r.messages()).isNull();
    assertThat(r.configJson()).isEqualTo("{\"model\":\"gpt-4o\"}");
    assertThat(r.version()).isEqualTo(3);
  }

  @Test
  void render_chat_fillsEveryMessage() {
    PromptVersion v = chat(List.of(new ChatMessage("system", "You help with {{topic}}."),
        new ChatMessage("user", "{{question}}")));

    Rendered r = v.render(Map.of("topic", "tea", "question", "Green or black?"));

    assertThat(r.messages()).containsExactly(new ChatMessage("system", "You help with tea."),
        new ChatMessage("user", "Green or black?"));
  }

  @Test
  void render_missingVariables_namesEveryOneAtOnce() {
    PromptVersion v = chat(List.of(new ChatMessage("system", "{{a}} {{b}}"),
        new ChatMessage("user", "{{c}} {{a}}")));

    assertThatThrownBy(() -> v.render(Map.of("b", 1)))
        .isInstanceOfSatisfying(PromptException.class, e -> {
          assertThat(e.missingVariables()).containsExactly("a", "c");
          assertThat(e.code()).isEqualTo(ErrorCode.INVALID_REQUEST);
          assertThat(e).hasMessage("prompt 'greet' needs variables that were not given: a, c");
        });
  }

  @Test
  void variables_inOrderOfFirstUse() {
    assertThat(text("{{b}} {{a}} {{b}}").variables()).containsExactly("b", "a");
  }

  private static PromptVersion text(String template) {
    return new PromptVersion("greet", 3, "text", template, null, "{\"model\":\"gpt-4o\"}",
        List.of("latest"), "m", "ann", T0, "sha256:x");
  }

  private static PromptVersion chat(List<ChatMessage> messages) {
    return new PromptVersion("greet", 1, "chat", null, messages, "{}", List.of(), null, null,
        T0, "sha256:y");
  }
}
