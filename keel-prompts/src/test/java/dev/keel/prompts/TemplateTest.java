package dev.keel.prompts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TemplateTest {

  @Test
  void render_variablesWithSpaces_filledInWithoutEscaping() {
    Template t = Template.parse("Hi {{name}}, {{ topic }}! {{name}}", "t");

    String out = t.render(Map.of("name", "<Ann & co>", "topic", 42));

    assertThat(out).isEqualTo("Hi <Ann & co>, 42! <Ann & co>");
    assertThat(t.variables()).containsExactly("name", "topic");
  }

  @Test
  void render_nullValue_isEmptyText() {
    var values = new HashMap<String, Object>();
    values.put("x", null);

    assertThat(Template.parse("[{{x}}]", "t").render(values)).isEqualTo("[]");
  }

  @Test
  void parse_loneClosingBracesAndSingleBraces_areLiteral() {
    Template t = Template.parse("{\"a\": {{x}}} }} {y}", "t");

    assertThat(t.render(Map.of("x", 1))).isEqualTo("{\"a\": 1} }} {y}");
  }

  @Test
  void parse_unclosed_namesLineAndColumn() {
    assertThatThrownBy(() -> Template.parse("line one\nHello {{name", "prompt 'p'"))
        .isInstanceOf(PromptException.class)
        .hasMessage("unclosed '{{' at line 2, column 7 of prompt 'p'");
  }

  @Test
  void parse_badName_isRejected() {
    assertThatThrownBy(() -> Template.parse("{{ first name }}", "p"))
        .isInstanceOf(PromptException.class)
        .hasMessageContaining("invalid variable name 'first name' at line 1, column 1");
    assertThatThrownBy(() -> Template.parse("{{}}", "p"))
        .hasMessageContaining("invalid variable name ''");
    assertThatThrownBy(() -> Template.parse("{{#list}}", "p"))
        .hasMessageContaining("invalid variable name '#list'");
  }
}
