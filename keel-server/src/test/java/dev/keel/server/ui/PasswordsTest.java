package dev.keel.server.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PasswordsTest {

  @Test
  void hash_samePasswordTwice_differsBySaltAndBothMatch() {
    String a = Passwords.hash("open sesame");
    String b = Passwords.hash("open sesame");

    assertThat(a).isNotEqualTo(b).startsWith("pbkdf2-sha256$600000$").doesNotContain("sesame");
    assertThat(Passwords.matches("open sesame", a)).isTrue();
    assertThat(Passwords.matches("open sesame", b)).isTrue();
  }

  @Test
  void matches_wrongPasswordOrMissingHash_isFalse() {
    String h = Passwords.hash("open sesame");

    assertThat(Passwords.matches("open sesamE", h)).isFalse();
    assertThat(Passwords.matches("open sesame", null)).isFalse();
    assertThat(Passwords.matches(null, h)).isFalse();
    assertThat(Passwords.matches("open sesame", "plain-text")).isFalse();
  }

  @Test
  void hash_shortPassword_isRefused() {
    assertThatThrownBy(() -> Passwords.hash("short"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("password must be 8 to 200 characters: 5");
  }
}
