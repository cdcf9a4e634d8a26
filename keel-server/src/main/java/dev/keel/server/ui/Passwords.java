package dev.keel.server.ui;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * Password hashes for UI accounts: PBKDF2 with HMAC-SHA256, a 16-byte random salt and
 * {@link #ITERATIONS} rounds (OWASP's 2023 figure for this hash), stored as
 * {@code pbkdf2-sha256$rounds$salt$hash} so the rounds can be raised later.
 */
final class Passwords {

  static final int ITERATIONS = 600_000;
  static final int MIN_LENGTH = 8;
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final String PREFIX = "pbkdf2-sha256";
  /** Checked when the user does not exist, so a wrong name takes as long as a wrong password. */
  private static final String DUMMY = hash("not-a-password-at-all");

  private Passwords() {}

  static String hash(String password) {
    if (password == null || password.length() < MIN_LENGTH || password.length() > 200) {
      throw new IllegalArgumentException("password must be " + MIN_LENGTH + " to 200"
          + " characters: " + (password == null ? 0 : password.length()));
    }
    byte[] salt = new byte[16];
    RANDOM.nextBytes(salt);
    Base64.Encoder b64 = Base64.getEncoder();
    return PREFIX + "$" + ITERATIONS + "$" + b64.encodeToString(salt) + "$"
        + b64.encodeToString(derive(password, salt, ITERATIONS));
  }

  /** Whether {@code password} matches {@code encoded}; a null encoded hash never matches. */
  static boolean matches(String password, String encoded) {
    String[] p = (encoded == null ? DUMMY : encoded).split("\\$");
    if (password == null || password.length() > 200 || p.length != 4 || !PREFIX.equals(p[0])) {
      return false;
    }
    Base64.Decoder b64 = Base64.getDecoder();
    byte[] expected = b64.decode(p[3]);
    byte[] actual = derive(password, b64.decode(p[2]), Integer.parseInt(p[1]));
    return MessageDigest.isEqual(expected, actual) && encoded != null;
  }

  private static byte[] derive(String password, byte[] salt, int rounds) {
    try {
      var spec = new PBEKeySpec(password.toCharArray(), salt, rounds, 256);
      return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec)
          .getEncoded();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("PBKDF2WithHmacSHA256 is missing from this JDK", e);
    }
  }
}
