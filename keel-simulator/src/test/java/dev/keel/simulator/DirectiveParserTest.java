package dev.keel.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class DirectiveParserTest {

  @Test
  void parse_noDirective_returnsTextUntouched() {
    String text = "What is the capital of France?";

    DirectiveParser.Parsed parsed = DirectiveParser.parse(text);

    assertThat(parsed.cleanText()).isSameAs(text);
    assertThat(parsed.directives()).isEmpty();
  }

  @Test
  void parse_directiveInMiddle_removedAndSpacesJoined() {
    DirectiveParser.Parsed parsed = DirectiveParser.parse("Hello [[sim fault=429]] world");

    assertThat(parsed.cleanText()).isEqualTo("Hello world");
    assertThat(parsed.directives()).singleElement()
        .satisfies(d -> assertThat(d.values()).containsExactly(Map.entry("fault", "429")));
  }

  @Test
  void parse_quotedValue_keepsSpacesAndEscapes() {
    DirectiveParser.Parsed parsed =
        DirectiveParser.parse("[[sim reply=\"It ships \\\"today\\\" ]] really.\" times=2]] Q?");

    assertThat(parsed.cleanText()).isEqualTo("Q?");
    assertThat(parsed.directives().get(0).values())
        .containsEntry("reply", "It ships \"today\" ]] really.")
        .containsEntry("times", "2");
  }

  @Test
  void parse_bareWordAndUsageKeys_bareWordIsTrue() {
    DirectiveParser.Parsed parsed =
        DirectiveParser.parse("[[sim usage prompt=20 cached=5 completion=7]]");

    assertThat(parsed.directives().get(0).values()).containsExactly(
        Map.entry("usage", "true"), Map.entry("prompt", "20"), Map.entry("cached", "5"),
        Map.entry("completion", "7"));
  }

  @Test
  void parse_toolsValueWithBracesAndSpaces_readAsOneValue() {
    DirectiveParser.Parsed parsed = DirectiveParser.parse(
        "[[sim tools=search({\"q\": \"a b]]\"}),fetch({}) parallel=true]]");

    assertThat(parsed.directives().get(0).values())
        .containsEntry("tools", "search({\"q\": \"a b]]\"}),fetch({})")
        .containsEntry("parallel", "true");
  }

  @Test
  void parse_severalDirectives_keptInOrderWithRawText() {
    DirectiveParser.Parsed parsed =
        DirectiveParser.parse("[[sim fault=500]] a [[sim  fault=503 model=gpt-4o]]");

    assertThat(parsed.cleanText()).isEqualTo("a");
    assertThat(parsed.directives()).extracting(Directive::text)
        .containsExactly("[[sim fault=500]]", "[[sim  fault=503 model=gpt-4o]]");
  }

  @Test
  void parse_unterminatedBlock_leftAsText() {
    DirectiveParser.Parsed parsed = DirectiveParser.parse("see [[sim fault=500 and more");

    assertThat(parsed.cleanText()).isEqualTo("see [[sim fault=500 and more");
    assertThat(parsed.directives()).isEmpty();
  }

  @Test
  void parse_similarButNotDirective_leftAsText() {
    DirectiveParser.Parsed parsed = DirectiveParser.parse("[[simple]] stays");

    assertThat(parsed.cleanText()).isEqualTo("[[simple]] stays");
    assertThat(parsed.directives()).isEmpty();
  }
}
