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
 * characters (about 238 bits). The store keeps a lookup value (16 hex digits of a SHA-256 of the
 * whole key, so a key's row is found without a scan), a random salt, and SHA-256(salt, key).
 * Apart from a virtual key's last four characters (for its hint, see {@link KeyRecords}), no
 * character of a key is stored, so a copy of the database gives nothing to start from. A fast
 * hash is enough for generated keys, which are long random strings; a project secret chosen by
 * hand in {@code KEEL_INIT_PROJECT_SECRET_KEY} is only as strong as its owner made it.
 *
 * <p>Versions before this one stored the key's first characters as the lookup instead
 * ({@link #legacyLookup}); such rows are still found, and rewritten on their first use.
 */
final class KeyFormat {

  static final String KEEL_PREFIX = "sk-keel-";
  static final String SECRET_PREFIX = "sk-lf-";
  static final String PUBLIC_PREFIX = "pk-lf-";
  private static final int RANDOM_CHARS = 40;
  private static final int LEGACY_LOOKUP_CHARS = 8;
  private static final int LOOKUP_HEX_DIGITS = 16;
  // Keeps the lookup apart from any other SHA-256 of a key, such as a generic table of hashes.
  private static final byte[] LOOKUP_DOMAIN = "keel key lookup\0"
      .getBytes(StandardCharsets.UTF_8);
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

  /**
   * What finds a key's row: the first 16 hex digits of SHA-256 over the whole key. It reveals no
   * character of the key, and rows sharing it are told apart by the salted hash.
   */
  static String lookup(String key) {
    MessageDigest md = sha256();
    md.update(LOOKUP_DOMAIN);
    byte[] digest = md.digest(key.getBytes(StandardCharsets.UTF_8));
    return HexFormat.of().formatHex(digest).substring(0, LOOKUP_HEX_DIGITS);
  }

  /**
   * The lookup older versions stored: the key up to 8 characters past its last '-', which
   * exposed part of the secret. Only read, to find rows written before {@link #lookup}.
   */
  static String legacyLookup(String key) {
    int start = key.lastIndexOf('-') + 1;
    return key.substring(0, Math.min(key.length(), start + LEGACY_LOOKUP_CHARS));
  }

  static String newSalt() {
    byte[] salt = new byte[16];
    RANDOM.nextBytes(salt);
    return HexFormat.of().formatHex(salt);
  }

  static String hash(String salt, String key) {
    MessageDigest md = sha256();
    md.update(salt.getBytes(StandardCharsets.UTF_8));
    md.update((byte) 0);
    return HexFormat.of().formatHex(md.digest(key.getBytes(StandardCharsets.UTF_8)));
  }

  /** Compares in time independent of where the strings differ. */
  static boolean matches(String salt, String hash, String key) {
    return MessageDigest.isEqual(hash(salt, key).getBytes(StandardCharsets.US_ASCII),
        hash.getBytes(StandardCharsets.US_ASCII));
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JDK", e);
    }
  }
}
