package dev.keel.simulator;

import java.util.concurrent.ThreadLocalRandom;

/** Random ids in each provider's style: chatcmpl-..., call_..., msg_..., toolu_.... */
final class Ids {

  private static final char[] ALPHABET =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".toCharArray();

  private Ids() {}

  static String next(String prefix, int length) {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    char[] out = new char[length];
    for (int i = 0; i < length; i++) {
      out[i] = ALPHABET[random.nextInt(ALPHABET.length)];
    }
    return prefix + new String(out);
  }
}
