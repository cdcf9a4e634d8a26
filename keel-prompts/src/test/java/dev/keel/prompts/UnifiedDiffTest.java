package dev.keel.prompts;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class UnifiedDiffTest {

  @Test
  void of_equal_isEmpty() {
    assertThat(UnifiedDiff.of("a", List.of("x", "y"), "b", List.of("x", "y"))).isEmpty();
  }

  @Test
  void of_oneChangedLine_showsThreeLinesOfContext() {
    List<String> a = IntStream.rangeClosed(1, 10).mapToObj(i -> "line " + i).toList();
    List<String> b = a.stream().map(l -> l.equals("line 5") ? "line five" : l).toList();

    assertThat(UnifiedDiff.of("p v1", a, "p v2", b)).isEqualTo("""
        --- p v1
        +++ p v2
        @@ -2,7 +2,7 @@
         line 2
         line 3
         line 4
        -line 5
        +line five
         line 6
         line 7
         line 8
        """);
  }

  @Test
  void of_farApartChanges_makeTwoHunks_andInsertionsCountLines() {
    List<String> a = IntStream.rangeClosed(1, 20).mapToObj(i -> "l" + i).toList();
    var b = new java.util.ArrayList<>(a);
    b.remove("l2");
    b.add("l21");

    assertThat(UnifiedDiff.of("a", a, "b", b)).isEqualTo("""
        --- a
        +++ b
        @@ -1,5 +1,4 @@
         l1
        -l2
         l3
         l4
         l5
        @@ -18,3 +17,4 @@
         l18
         l19
         l20
        +l21
        """);
  }

  @Test
  void of_fromEmpty_namesLineZero() {
    assertThat(UnifiedDiff.of("a", List.of(), "b", List.of("new"))).isEqualTo("""
        --- a
        +++ b
        @@ -0,0 +1,1 @@
        +new
        """);
  }
}
