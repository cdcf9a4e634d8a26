package dev.keel.prompts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keel.core.error.ErrorCode;
import dev.keel.store.Store;
import dev.keel.store.StoreConfig;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The registry's rules on a real SQLite store. */
class PromptServiceIT {

  private static final String P = "default";
  private static final Instant T0 = Instant.parse("2025-03-01T10:00:00Z");

  @TempDir
  Path dir;
  private Store store;
  private PromptService prompts;

  @BeforeEach
  void open() {
    store = Store.open(StoreConfig.sqlite(dir));
    prompts = new PromptService(store.prompts(), Clock.fixed(T0, ZoneOffset.UTC));
  }

  @AfterEach
  void close() {
    store.close();
  }

  @Test
  void create_thenGet_byDefaultLabelVersionAndLatest() {
    prompts.create(P, new NewPromptVersion("greet", "text", "Hi {{name}}", null,
        "{\"model\":\"gpt-4o\"}", List.of("production"), null, "first", "ann"));
    PromptVersion v2 = prompts.create(P, NewPromptVersion.text("greet", "Hello {{name}}", null,
        "second", "bob"));

    assertThat(v2.version()).isEqualTo(2);
    assertThat(v2.labels()).containsExactly("latest");
    assertThat(v2.createdAt()).isEqualTo(T0);
    assertThat(v2.contentHash()).isEqualTo(NewPromptVersion.text("greet", "Hello {{name}}",
        null, null, null).contentHash());
    PromptVersion prod = prompts.get(P, "greet", null, null).orElseThrow();
    assertThat(prod.version()).isEqualTo(1);
    assertThat(prod.text()).isEqualTo("Hi {{name}}");
    assertThat(prod.configJson()).isEqualTo("{\"model\":\"gpt-4o\"}");
    assertThat(prod.author()).isEqualTo("ann");
    assertThat(prompts.get(P, "greet", "latest", null).orElseThrow().version()).isEqualTo(2);
    assertThat(prompts.get(P, "greet", null, 2).orElseThrow().commitMessage())
        .isEqualTo("second");
    assertThat(prompts.get(P, "greet", "staging", null)).isEmpty();
  }

  @Test
  void get_labelAndVersion_is400_andMissing_is404WithLangfuseMessage() {
    assertThatThrownBy(() -> prompts.get(P, "greet", "production", 1))
        .hasMessage("give either label or version, not both");
    assertThatThrownBy(() -> prompts.require(P, "greet", null, null))
        .isInstanceOfSatisfying(PromptException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND))
        .hasMessage("Prompt not found: 'greet' with label 'production'");
  }

  @Test
  void chat_roundTripsMessages() {
    var messages = List.of(new ChatMessage("system", "Be {{tone}}"),
        new ChatMessage("user", "{{q}}"));
    prompts.create(P, NewPromptVersion.chat("chatty", messages, "{\"temperature\":0}", null,
        null));

    PromptVersion v = prompts.require(P, "chatty", "latest", null);

    assertThat(v.type()).isEqualTo("chat");
    assertThat(v.messages()).isEqualTo(messages);
    assertThat(v.text()).isNull();
  }

  @Test
  void setLabels_movesLabel_rejectsLatestAndUnknownVersions() {
    create("p", "a", "b", "c");

    prompts.setLabels(P, "p", 2, List.of("production", "staging"));
    PromptVersion moved = prompts.setLabels(P, "p", 3, List.of("staging"));

    assertThat(moved.labels()).containsExactly("latest", "staging");
    assertThat(prompts.require(P, "p", null, 2).labels()).containsExactly("production");
    assertThatThrownBy(() -> prompts.setLabels(P, "p", 1, List.of("latest")))
        .hasMessageContaining("latest label is set on each new version");
    assertThatThrownBy(() -> prompts.setLabels(P, "p", 9, List.of("production")))
        .isInstanceOfSatisfying(PromptException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND))
        .hasMessage("Prompt not found: 'p' with version 9");
    assertThatThrownBy(() -> prompts.setLabels(P, "ghost", 1, List.of("production")))
        .hasMessage("Prompt not found: 'ghost'");
  }

  @Test
  void promoteThenRollback_movesProductionBackStepByStep() {
    create("r", "one", "two", "three");
    prompts.promote(P, "r", 1, null);
    prompts.promote(P, "r", 2, null);
    prompts.promote(P, "r", 3, "production");

    PromptVersion first = prompts.rollback(P, "r", null);
    PromptVersion second = prompts.rollback(P, "r", "production");

    assertThat(first.version()).isEqualTo(2);
    assertThat(second.version()).isEqualTo(1);
    assertThat(prompts.require(P, "r", null, null).version()).isEqualTo(1);
    assertThatThrownBy(() -> prompts.rollback(P, "r", null))
        .hasMessage("label 'production' of prompt 'r' was on no version before 1; nothing to"
            + " roll back to");
    assertThatThrownBy(() -> prompts.rollback(P, "r", "staging"))
        .hasMessage("Prompt not found: 'r' with label 'staging'");
  }

  @Test
  void diff_showsTemplateAndConfigChanges() {
    prompts.create(P, NewPromptVersion.text("d", "Hello\n{{name}}", "{\"model\":\"a\"}", null,
        null));
    prompts.create(P, NewPromptVersion.text("d", "Hi\n{{name}}", "{\"model\":\"b\"}", null,
        null));

    PromptDiff diff = prompts.diff(P, "d", 1, 2);

    assertThat(diff.changed()).isTrue();
    assertThat(diff.unified()).isEqualTo("""
        --- d v1
        +++ d v2
        @@ -1,8 +1,8 @@
         type: text
         config:
         {
        -  "model" : "a"
        +  "model" : "b"
         }
         prompt:
        -Hello
        +Hi
         {{name}}
        """);
    assertThat(prompts.diff(P, "d", 2, 2).changed()).isFalse();
  }

  private void create(String name, String... bodies) {
    for (String body : bodies) {
      prompts.create(P, NewPromptVersion.text(name, body, null, null, null));
    }
  }
}
