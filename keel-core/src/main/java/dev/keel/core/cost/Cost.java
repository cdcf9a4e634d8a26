package dev.keel.core.cost;

import java.math.BigDecimal;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The USD cost of one model call, split by usage key (see {@link dev.keel.core.usage.Usage})
 * plus {@code total}. Exact decimals, never floating point.
 */
public record Cost(Map<String, BigDecimal> details) {

  public static final String TOTAL = "total";

  public Cost {
    Objects.requireNonNull(details, "details");
    details = Collections.unmodifiableMap(new LinkedHashMap<>(details));
  }

  public BigDecimal total() {
    BigDecimal t = details.get(TOTAL);
    return t == null ? BigDecimal.ZERO : t;
  }

  /** A cost of zero for a call the provider did not bill. */
  public static Cost zero() {
    return new Cost(Map.of(TOTAL, BigDecimal.ZERO));
  }

  /** Integer pico-dollars (1e-12 USD), the exact form the store keeps. */
  public static long toPicoDollars(BigDecimal usd) {
    return usd.movePointRight(12).setScale(0, java.math.RoundingMode.HALF_EVEN).longValueExact();
  }

  public static BigDecimal fromPicoDollars(long pico) {
    return BigDecimal.valueOf(pico).movePointLeft(12).stripTrailingZeros();
  }
}
