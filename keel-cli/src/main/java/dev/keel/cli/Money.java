package dev.keel.cli;

import com.fasterxml.jackson.databind.JsonNode;

/** Dollar amounts from the API as people read them: "$0.00002925", never "$2.925E-5". */
final class Money {

  private Money() {}

  /** "$" and the amount in plain notation; "n/a" when the API gave none. */
  static String usd(JsonNode amount) {
    if (amount == null || amount.isMissingNode() || amount.isNull()) {
      return "n/a";
    }
    if (amount.isNumber()) {
      return "$" + amount.decimalValue().stripTrailingZeros().toPlainString();
    }
    try {
      return "$" + new java.math.BigDecimal(amount.asText()).stripTrailingZeros().toPlainString();
    } catch (NumberFormatException notANumber) {
      return "$" + amount.asText();
    }
  }
}
