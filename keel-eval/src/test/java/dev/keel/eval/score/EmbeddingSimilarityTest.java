package dev.keel.eval.score;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import org.junit.jupiter.api.Test;

class EmbeddingSimilarityTest {

  @Test
  void paraphrasesScoreHigherThanUnrelatedTexts() {
    var s = Scorers.byName("embedding_similarity", Map.of("threshold", 0.8));
    double same = s.score(Items.text("q", "The Eiffel Tower is in Paris.",
        "The Eiffel Tower is in Paris.")).value();
    double close = s.score(Items.text("q", "The Eiffel Tower is in Paris.",
        "Paris is where the Eiffel Tower stands.")).value();
    var far = s.score(Items.text("q", "The Eiffel Tower is in Paris.",
        "Photosynthesis turns light into chemical energy."));
    assertThat(same).isCloseTo(1.0, within(1e-4));
    assertThat(close).isGreaterThan(0.7).isLessThan(same);
    assertThat(far.value()).isLessThan(0.3);
    assertThat(far.label()).isEqualTo("fail");
    // A blank answer is similar to nothing, never an error.
    assertThat(s.score(Items.text("q", "Paris", "  ")).value()).isEqualTo(0.0);
  }
}
