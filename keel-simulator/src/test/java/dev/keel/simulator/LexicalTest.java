package dev.keel.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LexicalTest {

  @Test
  void supportIsTheShareOfContentWordsInThePremise() {
    // content words: eiffel, tower, located, paris -> 3 of 4 in the premise.
    assertThat(Lexical.support("The Eiffel Tower is located in Paris.",
        "Paris has the Eiffel Tower.")).isEqualTo(0.75);
    assertThat(Lexical.support("the of and", "anything")).isEqualTo(0.0);
  }

  @Test
  void sentencesSplitProseAndNumberedListsAndDropStopWordOnlyOnes() {
    assertThat(Lexical.sentences("It costs 3.5 dollars. Then it rose! Why? Prices fell? 2 more."))
        .containsExactly("It costs 3.5 dollars.", "Then it rose!", "Prices fell?", "2 more.");
    assertThat(Lexical.sentences("1. First claim.\n2. Second claim."))
        .containsExactly("First claim.", "Second claim.");
  }

  @Test
  void qualityDrawsAreFixedAndSpread() {
    double a = Quality.draw("gpt-4o", "who wrote hamlet");
    assertThat(Quality.draw("gpt-4o", "Who  wrote HAMLET")).isEqualTo(a);
    assertThat(Quality.draw("gpt-4o-mini", "who wrote hamlet")).isNotEqualTo(a);
    assertThat(a).isBetween(0.0, 1.0);
  }

  @Test
  void numericLogprobAlternativesAreNeighbours() {
    assertThat(Logprobs.alternative(" 4", 1)).isEqualTo(" 3");
    assertThat(Logprobs.alternative(" 4", 2)).isEqualTo(" 5");
    assertThat(Logprobs.alternative(" 4", 3)).isEqualTo(" 2");
    assertThat(Logprobs.alternative("word", 1)).isEqualTo("word_1");
  }
}
