package dev.keel.prompts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PromptFilesTest {

  @TempDir
  Path dir;

  @Test
  void parse_textWithFrontMatter_readsTypeConfigAndBody() {
    String file = """
        ---
        type: text
        config:
          model: gpt-4o-mini
          temperature: 0.2
          max_tokens: 300
        ---
        Hello {{name}},
        how can I help?
        """;

    PromptFile f = PromptFiles.parse("support/greet", file);

    assertThat(f.name()).isEqualTo("support/greet");
    assertThat(f.type()).isEqualTo("text");
    assertThat(f.text()).isEqualTo("Hello {{name}},\nhow can I help?");
    assertThat(f.configJson())
        .isEqualTo("{\"max_tokens\":300,\"model\":\"gpt-4o-mini\",\"temperature\":0.2}");
    assertThat(f.contentHash()).isEqualTo(PromptContent.hash("text",
        "Hello {{name}},\nhow can I help?", null,
        "{\"model\":\"gpt-4o-mini\",\"temperature\":0.2,\"max_tokens\":300}"));
  }

  @Test
  void parse_noFrontMatterAndCrLf_isATextPromptWithoutConfig() {
    PromptFile f = PromptFiles.parse("plain", "Line 1\r\nLine 2\r\n");

    assertThat(f.text()).isEqualTo("Line 1\nLine 2");
    assertThat(f.configJson()).isEqualTo("{}");
  }

  @Test
  void roundTrip_textChatAndTrickyStrings_readBackToSameContent() {
    var text = new PromptFile("a/text", "text", "Say \"{{x}}\": yes\n---\nno: {{y}}\n", null,
        "{\"model\":\"gpt-4o\",\"response_format\":{\"type\":\"json_object\"},\"stop\":"
            + "[\"---\",\"yes\"]}", Map.of("latest", 4, "production", 2), 4);
    var chat = new PromptFile("b/chat", "chat", null, List.of(
        new ChatMessage("system", "You are {{role}}.\nBe brief: true"),
        new ChatMessage("user", "{{question}}"), new ChatMessage("assistant", "123")),
        "{\"temperature\":0.7}", Map.of(), null);

    for (PromptFile f : List.of(text, chat)) {
      Path written = PromptFiles.write(dir, f);
      PromptFile back = PromptFiles.readDir(dir).stream()
          .filter(b -> b.name().equals(f.name())).findFirst().orElseThrow();

      assertThat(written).isEqualTo(dir.resolve(f.name() + ".md"));
      assertThat(back).isEqualTo(f);
      assertThat(back.contentHash()).isEqualTo(f.contentHash());
    }
  }

  @Test
  void format_text_isReadableMarkdown() {
    var f = new PromptFile("greet", "text", "Hi {{name}}", null, "{\"model\":\"gpt-4o\"}",
        Map.of("production", 1), 1);

    assertThat(PromptFiles.format(f)).isEqualTo("""
        ---
        type: text
        version: 1
        labels:
          production: 1
        config:
          model: gpt-4o
        ---
        Hi {{name}}
        """);
  }

  @Test
  void parse_badFiles_sayWhatIsWrong() {
    assertThatThrownBy(() -> PromptFiles.parse("p", "---\ntype: text\nHi"))
        .hasMessage("file p.md: front matter has no closing '---' line");
    assertThatThrownBy(() -> PromptFiles.parse("p", "---\nconfg: {}\n---\nHi"))
        .hasMessageContaining("unknown front matter key 'confg'");
    assertThatThrownBy(() -> PromptFiles.parse("p", "---\ntype: chat\n---\nHi"))
        .hasMessageContaining("a chat prompt keeps its messages in the front matter");
    assertThatThrownBy(() -> PromptFiles.parse("p", "---\ntype: [x\n---\nHi"))
        .hasMessageContaining("front matter is not valid YAML");
    assertThatThrownBy(() -> PromptFiles.parse("p", "---\nconfig: 3\n---\nHi"))
        .hasMessageContaining("config must be a mapping");
  }

  @Test
  void readDir_walksFoldersAndIgnoresOtherFiles() throws Exception {
    Files.createDirectories(dir.resolve("team/sub"));
    Files.writeString(dir.resolve("team/sub/deep.md"), "deep");
    Files.writeString(dir.resolve("top.md"), "top");
    Files.writeString(dir.resolve("README.txt"), "not a prompt");

    assertThat(PromptFiles.readDir(dir)).extracting(PromptFile::name, PromptFile::text)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("team/sub/deep", "deep"),
            org.assertj.core.groups.Tuple.tuple("top", "top"));
  }
}
