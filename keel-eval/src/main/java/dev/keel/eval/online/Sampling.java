package dev.keel.eval.online;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Which traces a rule samples: a trace is taken when a hash of the rule's name and the trace id,
 * read as a number in [0, 1), is below the rate. The same trace always gets the same answer
 * (a re-delivered or updated trace is judged the same way), different rules sample
 * independently, and over many traces the share taken is the rate.
 */
final class Sampling {

  private static final double TWO_TO_53 = 0x1p53;

  private Sampling() {}

  static boolean sampled(String rule, String traceId, double rate) {
    if (rate >= 1) {
      return true;
    }
    if (rate <= 0) {
      return false;
    }
    return unit(rule, traceId) < rate;
  }

  /** The hash as a number in [0, 1), from its first 53 bits. */
  static double unit(String rule, String traceId) {
    try {
      byte[] h = MessageDigest.getInstance("SHA-256").digest(
          (rule + "\u0000" + traceId).getBytes(StandardCharsets.UTF_8));
      return (ByteBuffer.wrap(h).getLong() >>> 11) / TWO_TO_53;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }
}
