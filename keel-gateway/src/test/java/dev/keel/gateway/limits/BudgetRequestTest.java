package dev.keel.gateway.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class BudgetRequestTest {

  @Test
  void limitBeyondWhatCanBeCounted_isRejectedWithTheMaximum() {
    assertThatThrownBy(() -> new BudgetRequest("team", "ml", null, new BigDecimal("1e30"),
        "daily", null)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at most 9000000");
  }

  @Test
  void limitAtTheMaximum_isAccepted() {
    var r = new BudgetRequest("team", "ml", null, BudgetRequest.MAX_LIMIT_USD, "daily", null);

    assertThat(r.limitUsd()).isEqualByComparingTo("9000000");
  }
}
