package dev.keel.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class MoneyTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void usd_smallAmountsInPlainNotation() throws Exception {
    var n = JSON.readTree("{\"a\": 2.925E-5, \"b\": 9.36e-4, \"c\": 12.50, \"d\": null, "
        + "\"e\": \"1E-7\"}");

    assertThat(Money.usd(n.path("a"))).isEqualTo("$0.00002925");
    assertThat(Money.usd(n.path("b"))).isEqualTo("$0.000936");
    assertThat(Money.usd(n.path("c"))).isEqualTo("$12.5");
    assertThat(Money.usd(n.path("d"))).isEqualTo("n/a");
    assertThat(Money.usd(n.path("missing"))).isEqualTo("n/a");
    assertThat(Money.usd(n.path("e"))).isEqualTo("$0.0000001");
  }
}
