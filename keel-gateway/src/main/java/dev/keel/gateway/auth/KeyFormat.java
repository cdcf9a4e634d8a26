package dev.keel.gateway.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * How keys look and how they are hashed at rest.
 *
 * <p>A key is a prefix ({@code sk-keel-}, {@code sk-lf-}, {@code pk-lf-}) and 40 random base62
 * characters (about 238 bits). The store keeps a lookup part (the first 8 random characters, so
 * a key is found without a scan), a random salt, and SHA-256(salt, key). A fast hash is enough
 * here because keys are long random strings, not passwords a person chose.
 */
final class KeyFormat {

  static final String KEEL_PREFIX = "sk-keel-";
  static final String SECRET_PREFIX = "sk-lf-";
  static final String PUBLIC_PREFIX = "pk-lf-";
  private static final int RANDOM_CHARS = 40;
  private static final int LOOKUP_CHARS = 8;
  private static final char[] BASE62 =
      "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();
  private static final SecureRandom RANDOM = new SecureRandom();

  private KeyFormat() {}

  static String newKey(String prefix) {
    var sb = new StringBuilder(prefix);
    for (int i = 0; i < RANDOM_CHARS; i++) {
      sb.append(BASE62[RANDOM.nextInt(BASE62.length)]);
    }
    return sb.toString();
  }

  /** The non-secret part used to find a key's row; the whole key if it is short. */
  static String lookup(String key) {
    int start = key.lastIndexOf('-') + 1;
    return key.substring(0, Math.min(key.length(), start + LOOKUP_CHARS));
  }

  static String newSalt() {
    byte[] salt = new byte[16];
    RANDOM.nextBytes(salt);
    return HexFormat.of().formatHex(salt);
  }

  static String hash(String salt, String key) {
    try {
      var md = MessageDigest.getInstance("SHA-256");
      md.update(salt.getBytes(StandardCharsets.UTF_8));
      md.update((byte) 0);
      return HexFormat.of().formatHex(md.digest(key.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JDK", e);
    }
  }

  /** Compares in time independent of where the strings differ. */
  static boolean matches(String salt, String hash, String key) {
    return MessageDigest.isEqual(hash(salt, key).getBytes(StandardCharsets.US_ASCII),
        hash.getBytes(StandardCharsets.US_ASCII));
  }
}
