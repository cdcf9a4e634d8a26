package dev.keel.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LoggingTest {

  @Test
  void levelOf_unsetOrBlank_info() {
    assertThat(Logging.levelOf(null)).isEqualTo("info");
    assertThat(Logging.levelOf("  ")).isEqualTo("info");
  }

  @Test
  void levelOf_anyCaseAndSpaces_normalised() {
    assertThat(Logging.levelOf(" DEBUG ")).isEqualTo("debug");
    assertThat(Logging.levelOf("Warn")).isEqualTo("warn");
    assertThat(Logging.levelOf("off")).isEqualTo("off");
  }

  @Test
  void levelOf_unknown_null() {
    assertThat(Logging.levelOf("verbose")).isNull();
    assertThat(Logging.levelOf("warning")).isNull();
  }

  @Test
  void unknownLevelWarning_oneLineNamingValueFallbackAndChoices() {
    assertThat(Logging.unknownLevelWarning("verbose")).isEqualTo("KEEL_LOG_LEVEL='verbose' is "
        + "not a log level; using info (choose one of trace, debug, info, warn, error, off)");
  }
}
