package dev.keel.server.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;

class HtmlTest {

  @Test
  void esc_markupAndQuotes_becomeEntities() {
    String out = Html.esc("<img src=x onerror=\"a('b')\"> & co");

    assertThat(out).isEqualTo("&lt;img src=x onerror=&quot;a(&#39;b&#39;)&quot;&gt; &amp; co");
  }

  @Test
  void esc_nulAndControlCharacters_becomeTheReplacementCharacter_breaksStay() {
    assertThat(Html.esc("x\u0000y\u0007z\u007f\tend\r\n")).isEqualTo(
        "x\uFFFDy\uFFFDz\uFFFD\tend\r\n");
  }

  @Test
  void esc_null_isEmpty() {
    assertThat(Html.esc(null)).isEmpty();
  }

  @Test
  void url_spacesAndSlashes_areEncoded() {
    assertThat(Html.url("a b/c?d")).isEqualTo("a%20b%2Fc%3Fd");
  }

  @Test
  void usd_subCentAmount_keepsSixDigits() {
    assertThat(Html.usd(new BigDecimal("0.00001425"))).isEqualTo("$0.000014");
    assertThat(Html.usd(new BigDecimal("12.5"))).isEqualTo("$12.50");
    assertThat(Html.usd(null)).isEqualTo("unknown");
  }

  @Test
  void payload_chatMessages_renderEscapedBubbles() {
    String out = Payloads.render("[{\"role\":\"user\",\"content\":\"<script>x</script>\"}]",
        "/full");

    assertThat(out).contains("class=\"chat\"").contains("&lt;script&gt;x&lt;/script&gt;")
        .doesNotContain("<script>");
  }

  @Test
  void payload_longText_isCutWithAShowAllButton() {
    String out = Payloads.render("x".repeat(Payloads.LIMIT + 10), "/ui/t/1/field?f=input");

    assertThat(out).contains("Showing " + Payloads.LIMIT + " of " + (Payloads.LIMIT + 10))
        .contains("hx-get=\"/ui/t/1/field?f=input\"");
  }

  @Test
  void sideBySide_changedLine_isPairedAsDeletionAndInsertion() {
    String out = SideBySide.render(List.of("a", "b", "c"), List.of("a", "B", "c"), "v1", "v2");

    assertThat(out).contains("<tr class=\"chg\"><td class=\"ln\">2</td><td class=\"del\">"
        + "<code>b</code></td><td class=\"ln\">2</td><td class=\"ins\"><code>B</code></td></tr>");
    assertThat(out.split("class=\"same\"", -1)).hasSize(3);
  }

  @Test
  void sideBySide_addedLine_hasAnEmptyLeftCell() {
    String out = SideBySide.render(List.of("a"), List.of("a", "<new>"), "v1", "v2");

    assertThat(out).contains("<tr class=\"add\"><td class=\"ln\"></td><td class=\"empty\"></td>"
        + "<td class=\"ln\">2</td><td class=\"ins\"><code>&lt;new&gt;</code></td></tr>");
  }
}
