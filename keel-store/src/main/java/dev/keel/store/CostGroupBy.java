package dev.keel.store;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * What a cost report groups spend by; {@code PROMPT_DAY} is a prompt version on one UTC day
 * ({@code "greet v3 2026-12-04"}), to follow a version's tokens and cost over time.
 */
public enum CostGroupBy {
  MODEL, KEY, USER, TEAM, PROMPT, DAY, PROMPT_DAY;

  /** The dimension named {@code text} (any case), or an error listing the choices. */
  public static CostGroupBy parse(String text) {
    try {
      return valueOf(text.strip().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("groupBy must be one of " + choices() + ": " + text);
    }
  }

  /** The choices, lower case, comma separated. */
  public static String choices() {
    return Arrays.stream(values()).map(CostGroupBy::text).collect(Collectors.joining(", "));
  }

  /** The name users type. */
  public String text() {
    return name().toLowerCase(Locale.ROOT);
  }
}
